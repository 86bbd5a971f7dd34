package dev.mesh.jobs;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on loopback, assembled from the build's own Spark jars: a SPARK_HOME whose jars/
 * links to the provided classpath of the jobs module, a Master and a Worker started from it, and spark-submit
 * ({@code org.apache.spark.deploy.SparkSubmit}) run as a separate JVM, as a user would run it.
 */
final class SparkCluster implements AutoCloseable {
    static final Path TARGET = CliHarness.HOME.resolve("jobs/target");
    static final Path JOBS_JAR = TARGET.resolve("mesh-jobs-spark.jar");

    private final Path home;
    private final Path logs;
    private final List<Process> daemons = new ArrayList<>();
    private int masterPort;
    private int masterUiPort;

    private SparkCluster(Path home, Path logs) {
        this.home = home;
        this.logs = logs;
    }

    /** A SPARK_HOME under {@code dir} whose jars/ links to every jar of the provided (Spark) classpath. */
    static SparkCluster assemble(Path dir) throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        String classpath = Files.readString(TARGET.resolve("provided-classpath.txt")).trim();
        for (String jar : classpath.split(java.io.File.pathSeparator)) {
            Path source = Path.of(jar);
            Path link = jars.resolve(source.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, source);
            }
        }
        return new SparkCluster(home, Files.createDirectories(dir.resolve("logs")));
    }

    Path home() {
        return home;
    }

    /**
     * Writes {@code bin/spark-submit} into the assembled home, as a Spark distribution has it, for Spark's launcher
     * (which starts that script): SparkSubmit on the home's jars, with the JVM flags Spark needs on Java 17.
     */
    SparkCluster withSubmitScript() throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path script = bin.resolve("spark-submit");
        Files.writeString(script, "#!/usr/bin/env bash\nexport SPARK_HOME=\"" + home + "\" SPARK_SCALA_VERSION=2.12 "
                + "SPARK_LOCAL_IP=127.0.0.1\nexec \"" + java + "\" -Xmx1g " + System.getProperty("mesh.java17.flags")
                + " -Dlog4j2.configurationFile=" + CliHarness.HOME.resolve("conf/log4j2.properties")
                + " -cp \"" + home.resolve("jars") + "/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        script.toFile().setExecutable(true);
        return this;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Starts a Master and one Worker (2 cores, 2 GiB) and waits until the worker has registered. */
    SparkCluster start() throws Exception {
        masterPort = freePort();
        masterUiPort = freePort();
        daemons.add(java("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)));
        awaitPort(masterPort, Duration.ofSeconds(60));
        Path work = Files.createDirectories(home.resolve("work"));
        daemons.add(java("worker", "org.apache.spark.deploy.worker.Worker", masterUrl(), "--host", "127.0.0.1",
                "--cores", "2", "--memory", "2g", "--work-dir", work.toString(), "--webui-port",
                String.valueOf(freePort())));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!masterStatus().contains("\"aliveworkers\" : 1") && !masterStatus().contains("\"aliveworkers\":1")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no worker registered with " + masterUrl() + ": " + masterStatus());
            }
            Thread.sleep(200);
        }
        return this;
    }

    /** The master's status page as JSON. */
    String masterStatus() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + masterUiPort
                    + "/json/").toURL().openConnection();
            connection.setConnectTimeout(1000);
            try (var in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs spark-submit in client mode with the shaded jobs jar; returns its exit code and wall time. */
    Submitted submit(String name, String master, String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--deploy-mode", "client",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.executor.memory=1g",
                "--conf", "spark.ui.enabled=false",
                "--class", mainClass, JOBS_JAR.toString()));
        command.addAll(Arrays.asList(args));
        long start = System.nanoTime();
        Process process = java(name, command.toArray(String[]::new));
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 10 minutes; see " + log(name));
        }
        return new Submitted(process.exitValue(), Duration.ofNanos(System.nanoTime() - start), log(name));
    }

    record Submitted(int exitCode, Duration wallTime, Path log) {
        String output() throws IOException {
            return Files.readString(log);
        }
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    private Process java(String name, String... mainAndArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
        command.addAll(Arrays.asList(System.getProperty("mesh.java17.flags").split(" ")));
        command.add("-Dlog4j2.configurationFile=" + CliHarness.HOME.resolve("conf/log4j2.properties"));
        command.add("-cp");
        command.add(home.resolve("jars") + "/*");
        command.addAll(Arrays.asList(mainAndArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    private static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process daemon = daemons.get(i);
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }
}
