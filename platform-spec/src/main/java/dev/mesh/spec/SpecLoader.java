package dev.mesh.spec;

import dev.mesh.spec.model.AccessGrants;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.PolicyReport;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import dev.mesh.spec.policy.PolicyEngine;
import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.spi.TemplateCatalog;
import dev.mesh.spec.validation.ColumnFlow;
import dev.mesh.spec.yaml.DomainFileReader;
import dev.mesh.spec.yaml.GovernanceFileReader;
import dev.mesh.spec.yaml.PlatformFileReader;
import dev.mesh.spec.yaml.ProductFileReader;
import dev.mesh.spec.yaml.SpecFiles;
import dev.mesh.spec.yaml.SpecReaders;
import dev.mesh.spec.yaml.YamlDocument;
import dev.mesh.spec.yaml.YamlNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a whole mesh without Spark: {@code platform.yaml}, then {@code <domains>/<domain>/domain.yaml} and
 * {@code <domains>/<domain>/products/*.yaml}, and validates each file and the references between them.
 */
public final class SpecLoader {
    private final Path workingDir;
    private final SpecReaders readers;
    private final Map<Path, byte[]> proposed;

    public SpecLoader(Path workingDir) {
        this(workingDir, SqlSyntax.load());
    }

    public SpecLoader(Path workingDir, SqlSyntax sqlSyntax) {
        this(workingDir, sqlSyntax, TemplateCatalog.load());
    }

    /** With the given SQL checker and templates (tests hand in their own; the others find them on the classpath). */
    public SpecLoader(Path workingDir, SqlSyntax sqlSyntax, TemplateCatalog templates) {
        this(workingDir.toAbsolutePath().normalize(), new SpecReaders(sqlSyntax, templates), Map.of());
    }

    private SpecLoader(Path workingDir, SpecReaders readers, Map<Path, byte[]> proposed) {
        this.workingDir = workingDir;
        this.readers = readers;
        this.proposed = Map.copyOf(proposed);
    }

    /**
     * A loader that reads {@code content} as the spec file {@code file} (a product spec under a domain's
     * {@code products} folder), whether or not that file exists: the mesh as it would be with a proposed change.
     */
    public SpecLoader proposing(Path file, String content) {
        Map<Path, byte[]> more = new LinkedHashMap<>(proposed);
        more.put(file.toAbsolutePath().normalize(), content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new SpecLoader(workingDir, readers, more);
    }

    private YamlDocument parse(Path file, List<SpecProblem> problems) {
        byte[] content = proposed.get(file.toAbsolutePath().normalize());
        return content != null ? YamlDocument.parse(display(file), content, problems)
                : YamlDocument.parse(file, display(file), problems);
    }

    public static SpecLoader create() {
        return new SpecLoader(Path.of(""));
    }

    public SpecLoad load(Path platformFile, Optional<URI> storageRootOverride) {
        return load(platformFile, storageRootOverride, AccessGrants.NONE);
    }

    /** The platform file alone (where the zones are), when it is valid. */
    public Optional<PlatformSpec> platform(Path platformFile, Optional<URI> storageRootOverride) {
        Path platformPath = platformFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(platformPath)) {
            return Optional.empty();
        }
        List<SpecProblem> problems = new ArrayList<>();
        YamlDocument document = YamlDocument.parse(platformPath, display(platformPath), problems);
        return PlatformFileReader.read(document, platformPath, storageRootOverride).filter(p -> problems.isEmpty());
    }

    /** The mesh with the consumers granted through access requests added to the products they concern. */
    public SpecLoad load(Path platformFile, Optional<URI> storageRootOverride, AccessGrants grants) {
        List<SpecProblem> problems = new ArrayList<>();
        Map<Path, YamlDocument> documents = new LinkedHashMap<>();
        Path platformPath = platformFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(platformPath)) {
            problems.add(new SpecProblem(display(platformPath), "", 0, "no such file; pass --platform FILE "
                    + "(the example mesh's is examples/platform.yaml)"));
            return new SpecLoad(Optional.empty(), problems, files(documents, platformPath));
        }
        YamlDocument platformDocument = YamlDocument.parse(platformPath, display(platformPath), problems);
        Optional<PlatformSpec> platform = PlatformFileReader.read(platformDocument, platformPath,
                storageRootOverride);
        if (platform.isEmpty()) {
            return new SpecLoad(Optional.empty(), problems, files(documents, platformPath));
        }
        Path domainsDir = platform.get().domainsDir();
        if (!Files.isDirectory(domainsDir)) {
            platformDocument.root().problem("domains", "folder '" + display(domainsDir) + "' does not exist; "
                    + "it holds one folder per domain with its domain.yaml");
            return new SpecLoad(Optional.empty(), problems, files(documents, platformPath));
        }

        List<DomainSpec> domains = new ArrayList<>();
        List<ProductSpec> products = new ArrayList<>();
        java.util.Set<ProductId> declared = new java.util.HashSet<>();
        java.util.Set<String> invalidDomains = new java.util.HashSet<>();
        Map<String, ProductId> productFiles = new LinkedHashMap<>();
        Map<String, String> domainFiles = new LinkedHashMap<>();
        for (Path folder : list(domainsDir, Files::isDirectory)) {
            String folderName = folder.getFileName().toString();
            Path domainFile = folder.resolve("domain.yaml");
            if (!Files.isRegularFile(domainFile)) {
                problems.add(new SpecProblem(display(folder), "", 0, "a domain folder needs a domain.yaml"));
                continue;
            }
            YamlDocument domainDocument = parse(domainFile, problems);
            domainFiles.put(display(domainFile), folderName);
            documents.put(domainFile, domainDocument);
            DomainFileReader.read(domainDocument, folderName, domainFile)
                    .ifPresentOrElse(domains::add, () -> invalidDomains.add(folderName));
            Path productsDir = folder.resolve("products");
            boolean existing = Files.isDirectory(productsDir);
            if (existing || !withProposed(productsDir, List.of()).isEmpty()) {
                Map<String, Path> byName = new LinkedHashMap<>();
                for (Path productFile : withProposed(productsDir,
                        existing ? list(productsDir, SpecLoader::isYaml) : List.of())) {
                    Path other = byName.putIfAbsent(SpecFiles.baseName(productFile), productFile);
                    productFiles.put(display(productFile), new ProductId(folderName, SpecFiles.baseName(productFile)));
                    if (other != null) {
                        // orders.yaml and orders.yml: which one would run is undefined, so neither does
                        problems.add(new SpecProblem(display(productFile), "", 0, "declares product " + folderName
                                + "." + SpecFiles.baseName(productFile) + " like " + display(other) + "; a product "
                                + "has one spec file: remove one of the two"));
                        continue;
                    }
                    YamlDocument document = parse(productFile, problems);
                    documents.put(productFile, document);
                    declared.add(new ProductId(folderName, SpecFiles.baseName(productFile)));
                    ProductFileReader.read(document, folderName, productFile, readers).map(grants::apply)
                            .ifPresent(products::add);
                }
            }
        }
        ColumnFlow flow = new ColumnFlow(products, readers.sqlSyntax(), readers.templates());
        new MeshValidator(domains, products, documents, declared, invalidDomains, flow).validate();
        checkPersonalDataFlow(products, documents, flow);
        checkDomainCredentials(platform.get(), platformDocument, domains, invalidDomains);
        PolicyReport policies = checkPolicies(platform.get(), platformDocument, domains, products, documents,
                problems);
        problems.sort(java.util.Comparator.comparing(SpecProblem::file).thenComparingInt(SpecProblem::line));
        if (!problems.isEmpty()) {
            return new SpecLoad(Optional.empty(), problems, files(documents, platformPath), policies,
                    SpecIsolation.isolate(platform.get(), domains, products, policies, problems, productFiles,
                            domainFiles));
        }
        return new SpecLoad(Optional.of(new MeshSpec(platform.get(), domains, products, policies)), problems,
                files(documents, platformPath), policies);
    }

    /**
     * Classification follows the data: a product visible outside its domain may not publish, under a column declared
     * as something else, personal data it derives from a pii column (copied, renamed, transformed, aggregated).
     */
    private static void checkPersonalDataFlow(List<ProductSpec> products, Map<Path, YamlDocument> documents,
            ColumnFlow flow) {
        for (ProductSpec product : products) {
            Optional<ColumnLineage> lineage = flow.lineage(product.id());
            if (lineage.isEmpty()) {
                continue;
            }
            YamlNode schema = documents.get(product.file()).root().get("output").get("schema");
            for (ColumnFlow.Laundered laundered : flow.laundered(product, lineage.get())) {
                schema.element(product.output().schema().indexOf(laundered.column()))
                        .problem("classification", laundered.describe(product));
            }
        }
    }

    /** Reads the governance file, if the platform names one, and checks the mesh against the policies. */
    private PolicyReport checkPolicies(PlatformSpec platform, YamlDocument platformDocument, List<DomainSpec> domains,
            List<ProductSpec> products, Map<Path, YamlDocument> documents, List<SpecProblem> problems) {
        Optional<GovernanceSpec> governance = Optional.empty();
        Optional<YamlNode> governanceRoot = Optional.empty();
        if (platform.governanceFile().isPresent()) {
            Path file = platform.governanceFile().get();
            if (!Files.isRegularFile(file)) {
                platformDocument.root().problem("governance", "file '" + display(file) + "' does not exist; it "
                        + "holds the federated body and the global policy rules");
                return PolicyReport.NONE;
            }
            YamlDocument document = YamlDocument.parse(file, display(file), problems);
            documents.put(file, document);
            governance = GovernanceFileReader.read(document, file);
            governanceRoot = Optional.of(document.root());
            if (governance.isEmpty()) {
                return PolicyReport.NONE;
            }
        }
        PolicyEngine.checkSalts(governance, products, documents);
        PolicyReport report = new PolicyEngine(governance, governanceRoot, domains, products, documents).evaluate();
        report.errors().forEach(finding -> problems.add(finding.location()));
        return report;
    }

    private static void checkDomainCredentials(PlatformSpec platform, YamlDocument document, List<DomainSpec> domains,
            java.util.Set<String> invalidDomains) {
        List<String> names = domains.stream().map(DomainSpec::name).toList();
        platform.storage().s3().ifPresent(s3 -> s3.domainCredentials().keySet().stream()
                .filter(domain -> !names.contains(domain) && !invalidDomains.contains(domain))
                .forEach(domain -> document.root().get("storage").get("s3").get("domainCredentials").get(domain)
                        .problem("no domain '" + domain + "' in the mesh" + NearestNames.suggestion(domain, names))));
    }

    private List<String> files(Map<Path, YamlDocument> documents, Path platformPath) {
        List<String> files = new ArrayList<>();
        files.add(display(platformPath));
        documents.keySet().forEach(file -> files.add(display(file)));
        return files;
    }

    /** How a file is named in messages: relative to the working directory when it is below it. */
    public String display(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(workingDir) ? workingDir.relativize(absolute).toString() : absolute.toString();
    }

    private static boolean isYaml(Path path) {
        String name = path.getFileName().toString();
        return Files.isRegularFile(path) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** The files of a folder with the proposed ones in it that are not there yet, in name order. */
    private List<Path> withProposed(Path dir, List<Path> files) {
        java.util.TreeSet<Path> all = new java.util.TreeSet<>(Comparator.comparing(Path::toString));
        files.forEach(file -> all.add(file.toAbsolutePath().normalize()));
        proposed.keySet().stream().filter(file -> file.getParent().equals(dir.toAbsolutePath().normalize()))
                .forEach(all::add);
        return List.copyOf(all);
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(filter).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
