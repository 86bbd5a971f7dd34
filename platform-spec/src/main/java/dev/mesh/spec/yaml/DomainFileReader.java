package dev.mesh.spec.yaml;

import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ServerSpec;
import dev.mesh.spec.model.SourceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds one {@code domain.yaml} to a {@link DomainSpec}, reporting every problem it finds inside the file. */
public final class DomainFileReader {
    static final Set<String> TOP = YamlNode.fields(
            "apiVersion", "kind", "name", "description", "owners", "members", "businessFunctions", "sources",
            "policies");
    static final Set<String> SOURCE = YamlNode.fields("name", "landing", "description");

    private DomainFileReader() {}

    public static Optional<DomainSpec> read(YamlDocument document, String folderName, Path file) {
        YamlNode root = document.root();
        if (!root.expectMap(TOP)) {
            if (root.isMissing() && !document.hasProblems()) {
                root.problem("the file is empty; a domain needs apiVersion, kind, name and owners");
            }
            return Optional.empty();
        }
        SpecFiles.checkHeader(root, "Domain");
        String name = root.requiredString("name");
        SpecRules.checkName(root, "name", name);
        if (name != null && !name.equals(folderName)) {
            root.problem("name", "'" + name + "' does not match its folder '" + folderName
                    + "'; a domain's folder is named after the domain");
        }
        String description = root.optionalString("description").orElse("");
        List<String> owners = root.stringList("owners", true);
        if (root.has("owners") && owners.isEmpty()) {
            root.problem("owners", "must name at least one owner: the team accountable for the domain's data");
        }
        for (int i = 0; i < owners.size(); i++) {
            if (!owners.get(i).startsWith(ServerSpec.GROUP_PREFIX)) {
                SpecRules.checkEmail(root.get("owners"), "[" + i + "]", owners.get(i));
            }
        }
        List<String> members = root.stringList("members", false);
        for (int i = 0; i < members.size(); i++) {
            SpecRules.checkPrincipal(root.get("members"), "[" + i + "]", members.get(i));
        }
        List<String> functions = root.stringList("businessFunctions", false);
        List<SourceSpec> sources = new ArrayList<>();
        Map<String, String> landings = new HashMap<>();
        List<YamlNode> sourceNodes = root.list("sources", false);
        for (YamlNode node : sourceNodes) {
            if (!node.expectMap(SOURCE)) {
                continue;
            }
            String sourceName = node.requiredString("name");
            SpecRules.checkSourceName(node, "name", sourceName);
            String landing = node.requiredString("landing");
            SpecRules.checkFolder(node, "landing", landing);
            if (landing != null && landing.isEmpty()) {
                node.problem("landing", "must name a folder of the landing zone");
            }
            String sourceDescription = node.optionalString("description").orElse("");
            if (sourceName != null && sources.stream().anyMatch(s -> s.name().equals(sourceName))) {
                node.problem("name", "source '" + sourceName + "' is declared twice");
            }
            if (landing != null && sourceName != null) {
                String other = landings.putIfAbsent(landing, sourceName);
                if (other != null) {
                    node.problem("landing", "folder '" + landing + "' is already the landing folder of source '"
                            + other + "'; each source lands in its own folder");
                }
                sources.add(new SourceSpec(sourceName, landing, sourceDescription));
            }
        }
        List<PolicyRule> policies = GovernanceFileReader.readRules(root, "policies");
        // a domain whose file has other problems is still read, so that its products are checked in the same pass
        // (the problems keep the mesh invalid); only one without a name of its own folder is not
        if (name == null || !name.equals(folderName) || !root.isMap()) {
            return Optional.empty();
        }
        return Optional.of(new DomainSpec(name, description, owners, members, functions, sources, policies, file));
    }
}
