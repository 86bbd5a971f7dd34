package dev.mesh.jobs.standards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standards' own JSON schemas, kept as test resources (see their NOTICE files), and validation against them
 * without the network: every schema is registered under its {@code $id}, so references between them resolve here.
 */
public final class StandardSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENLINEAGE = "standards/openlineage/";
    private static final List<String> FACETS = List.of("BaseSubsetDatasetFacet", "CatalogDatasetFacet",
            "ColumnLineageDatasetFacet", "DataQualityAssertionsDatasetFacet", "DataQualityMetricsDatasetFacet",
            "DataQualityMetricsInputDatasetFacet", "DatasetTypeDatasetFacet", "DatasetVersionDatasetFacet",
            "DatasourceDatasetFacet", "DocumentationDatasetFacet", "DocumentationJobFacet",
            "EnvironmentVariablesRunFacet", "ErrorMessageRunFacet", "ExecutionParametersRunFacet",
            "ExternalQueryRunFacet", "ExtractionErrorRunFacet", "HierarchyDatasetFacet",
            "InputStatisticsInputDatasetFacet", "JobDependenciesRunFacet", "JobTypeJobFacet",
            "LifecycleStateChangeDatasetFacet", "LineageFacet", "NominalTimeRunFacet",
            "OutputStatisticsOutputDatasetFacet", "OwnershipDatasetFacet", "OwnershipJobFacet", "ParentRunFacet",
            "ProcessingEngineRunFacet", "SQLJobFacet", "SchemaDatasetFacet", "SourceCodeJobFacet",
            "SourceCodeLocationJobFacet", "StorageDatasetFacet", "SymlinksDatasetFacet", "TagsDatasetFacet",
            "TagsJobFacet", "TagsRunFacet", "TestRunFacet");

    private static final class OpenLineageHolder {
        static final StandardSchemas INSTANCE = openLineage();
    }

    private final SchemaRegistry registry;
    private final String rootId;
    /** For OpenLineage: the facet key ("schema", "parent", ...) and the $id of the file that defines it. */
    private final Map<String, String> facetSchemas;

    private StandardSchemas(SchemaRegistry registry, String rootId, Map<String, String> facetSchemas) {
        this.registry = registry;
        this.rootId = rootId;
        this.facetSchemas = facetSchemas;
    }

    public static StandardSchemas openLineage() {
        Map<String, String> byId = new LinkedHashMap<>();
        Map<String, String> facets = new LinkedHashMap<>();
        String root = register(byId, OPENLINEAGE + "OpenLineage.json");
        for (String facet : FACETS) {
            String id = register(byId, OPENLINEAGE + "facets/" + facet + ".json");
            JsonNode properties = read(byId.get(id)).path("properties");
            properties.fieldNames().forEachRemaining(key -> facets.putIfAbsent(key, id));
        }
        return new StandardSchemas(registry(SpecificationVersion.DRAFT_2020_12, byId), root, facets);
    }

    /** The shared OpenLineage schemas (parsing them takes a moment). */
    public static StandardSchemas openLineageShared() {
        return OpenLineageHolder.INSTANCE;
    }

    /** ODCS v3.1.0 (draft 2019-09). */
    public static StandardSchemas odcs() {
        Map<String, String> byId = new LinkedHashMap<>();
        String root = "https://bitol.io/odcs/odcs-json-schema-v3.1.0.json";
        byId.put(root, resource("standards/odcs/odcs-json-schema-v3.1.0.json"));
        return new StandardSchemas(registry(SpecificationVersion.DRAFT_2019_09, byId), root, Map.of());
    }

    /** The problems of a document against the standard's root schema; empty when it conforms. */
    public List<String> problems(JsonNode document) {
        return messages(registry.getSchema(SchemaLocation.of(rootId)).validate(document));
    }

    /**
     * The problems of an OpenLineage event: against the event schema, then each facet of the run, the job and
     * every dataset against its own facet schema (the event schema leaves facets open). A facet with no schema here
     * is a problem too.
     */
    public List<String> eventProblems(JsonNode event) {
        List<String> problems = new ArrayList<>(problems(event));
        checkFacets(event.path("run").path("facets"), "run", problems);
        checkFacets(event.path("job").path("facets"), "job", problems);
        for (String datasets : List.of("inputs", "outputs")) {
            int index = 0;
            for (JsonNode dataset : event.path(datasets)) {
                String where = datasets + "[" + index++ + "]";
                checkFacets(dataset.path("facets"), where, problems);
                checkFacets(dataset.path("inputFacets"), where, problems);
                checkFacets(dataset.path("outputFacets"), where, problems);
            }
        }
        return problems;
    }

    /** The facet keys this checks, with the schema each is checked against. */
    public Map<String, String> facetSchemas() {
        return facetSchemas;
    }

    private void checkFacets(JsonNode facets, String where, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> fields = facets.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> facet = fields.next();
            String id = facetSchemas.get(facet.getKey());
            if (id == null) {
                problems.add(where + ": facet '" + facet.getKey() + "' has no schema in the OpenLineage spec");
                continue;
            }
            JsonNode wrapped = JSON.createObjectNode().set(facet.getKey(), facet.getValue());
            for (String message : messages(registry.getSchema(SchemaLocation.of(id)).validate(wrapped))) {
                problems.add(where + " facet " + facet.getKey() + ": " + message);
            }
            if (!facet.getValue().has("_producer") || !facet.getValue().has("_schemaURL")) {
                problems.add(where + " facet " + facet.getKey() + ": _producer and _schemaURL are required");
            }
        }
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(error -> error.getInstanceLocation() + " " + error.getMessage()).toList();
    }

    private static SchemaRegistry registry(SpecificationVersion version, Map<String, String> byId) {
        return SchemaRegistry.withDefaultDialect(version, builder -> builder.schemas(byId));
    }

    private static String register(Map<String, String> byId, String resource) {
        String text = resource(resource);
        String id = read(text).path("$id").asText();
        if (id.isEmpty()) {
            throw new IllegalStateException(resource + " has no $id");
        }
        byId.put(id, text);
        return id;
    }

    private static String resource(String name) {
        try (InputStream in = StandardSchemas.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
