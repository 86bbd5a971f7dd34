package dev.mesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class CoexistenceSmokeTest {
    @Test
    void sparkAndJavalinShareOneJvm() throws Exception {
        long rows = SharedSpark.session().range(10).count();
        Javalin app = Javalin.create(config -> config.routes.get("/x", ctx -> ctx.result("ok"))).start("127.0.0.1", 0);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ok");
            assertThat(rows).isEqualTo(10);
        } finally {
            app.stop();
        }
    }
}
