package dev.mesh.jobs.cli;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.AccessRequests;
import dev.mesh.spec.model.AccessSpec.Visibility;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.KeptMajor;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.ProductSpec;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesh access}: who may read which product, as the producers granted it, and who reads it. No Spark. */
@Command(name = "access", mixinStandardHelpOptions = true,
        description = "Show who may read each product (granted by its producer: access.visibility and consumers) "
                + "and which products read it. With a domain: its products, and the products it may read. Does not "
                + "start Spark.")
final class AccessCommand implements Callable<Integer> {
    @ParentCommand
    MeshCli cli;

    @Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "Only what concerns this domain.")
    String domain;

    @Override
    public Integer call() {
        MeshSpec mesh;
        List<AccessRequests.Request> requests;
        try (MeshContext context = cli.context()) {
            mesh = context.mesh();
            requests = context.runtime().accessRequests();
        }
        List<String> domains = mesh.domains().stream().map(DomainSpec::name).toList();
        if (domain != null && !domains.contains(domain)) {
            throw MeshException.invalidInput("no domain '%s' in the mesh; domains: %s", domain,
                    String.join(", ", domains));
        }
        TextTable table = new TextTable("PRODUCT", "VISIBILITY", "MAY READ", "READ BY");
        for (ProductSpec product : mesh.products()) {
            List<String> allowed = domains.stream()
                    .filter(reader -> product.access().allows(product.domain(), reader)).toList();
            if (domain != null && !product.domain().equals(domain) && !allowed.contains(domain)) {
                continue;
            }
            List<String> readers = mesh.readersOf(product.id()).stream().map(reader -> reader.consumer().id()
                    + reader.input().major().map(major -> "@" + major).orElse("")).toList();
            table.row(product.id(), product.access().visibility().name().toLowerCase(Locale.ROOT),
                    product.access().visibility() == Visibility.PUBLIC ? "every domain" : String.join(", ", allowed),
                    readers.isEmpty() ? "-" : String.join(", ", readers));
        }
        table.print(cli.environment.out());
        printKeptMajors(mesh);
        List<AccessRequests.Request> shown = requests.stream().filter(request -> domain == null
                || request.product().domain().equals(domain) || request.consumer().equals(domain)).toList();
        if (!shown.isEmpty()) {
            cli.environment.out().println();
            cli.environment.out().println("Access requests (mesh serve's /api/v1/access-requests; approved ones are in "
                    + "MAY READ above):");
            TextTable asked = new TextTable("PRODUCT", "CONSUMER", "STATE", "ASKED BY", "DECIDED BY", "PURPOSE");
            for (AccessRequests.Request request : shown) {
                asked.row(request.product(), request.consumer(), request.state().name().toLowerCase(Locale.ROOT),
                        request.requestedBy(), request.decidedBy().orElse("-"), request.purpose());
            }
            asked.print(cli.environment.out());
        }
        return 0;
    }

    /** The older majors products keep beside their current one, until when, and who still reads each. */
    private void printKeptMajors(MeshSpec mesh) {
        TextTable kept = new TextTable("PRODUCT", "KEPT MAJOR", "BESIDE", "UNTIL", "STILL READ BY");
        boolean any = false;
        for (ProductSpec product : mesh.products()) {
            if (domain != null && !product.domain().equals(domain)) {
                continue;
            }
            for (KeptMajor major : product.keptMajors()) {
                List<String> readers = mesh.pinning(product.id(), major.major()).stream().map(Object::toString)
                        .toList();
                kept.row(product.id(), major.major(), OutputContract.major(product.version()), major.until(),
                        readers.isEmpty() ? "- (retired once the window ends)" : String.join(", ", readers));
                any = true;
            }
        }
        if (any) {
            cli.environment.out().println();
            cli.environment.out().println("Older majors kept beside the current one (versions; retired once the "
                    + "window ends and no consumer pins them):");
            kept.print(cli.environment.out());
        }
    }
}
