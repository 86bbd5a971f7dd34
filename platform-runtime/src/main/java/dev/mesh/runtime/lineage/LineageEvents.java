package dev.mesh.runtime.lineage;

import dev.mesh.error.Secrets;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.spi.MetricValue;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.model.ColumnLineage;
import dev.mesh.spec.model.ColumnSource;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the OpenLineage run events of one product run. The job is the product ({@code domain.product}) in the
 * mesh's namespace; the run id is the platform's run id (a scheduler's id that is not a UUID is mapped to a
 * name-based UUID, the same for every event of the run); the parent run is the invocation. Datasets are named by
 * their storage ({@link LineageDatasets}), with a symlink to the product's name in the mesh namespace.
 */
final class LineageEvents {
    /** Who produced the events: this runtime (the project has no public address to name). */
    static final URI PRODUCER = URI.create("urn:dev.mesh:mesh-platform-runtime");
    static final String INVOCATION_JOB = "invocation";

    private final OpenLineage lineage = new OpenLineage(PRODUCER);
    private final String namespace;
    private final ZoneLayout zones;
    private final Map<String, String> environment;

    LineageEvents(String namespace, ZoneLayout zones, Map<String, String> environment) {
        this.namespace = namespace;
        this.zones = zones;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The event type a finished run reports, if any: skipped and unfinished runs never started, and a check of a
     * published table changes no dataset.
     */
    static Optional<EventType> finishedType(RunResult result) {
        return switch (result.status()) {
            case PUBLISHED, UP_TO_DATE -> Optional.of(EventType.COMPLETE);
            case GATE_FAILED -> Optional.of(EventType.ABORT);
            case FAILED -> Optional.of(EventType.FAIL);
            case SKIPPED, UNFINISHED, CHECKED -> Optional.empty();
        };
    }

    /** A run id as OpenLineage wants it: a UUID. */
    static UUID runUuid(String runId) {
        try {
            return UUID.fromString(runId);
        } catch (IllegalArgumentException notUuid) {
            return UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8));
        }
    }

    OpenLineage.RunEvent started(String invocationId, String runId, ProductSpec product, DomainSpec domain,
            Instant at) {
        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        for (InputSpec input : product.inputs()) {
            inputs.add(lineage.newInputDatasetBuilder()
                    .namespace(inputName(input, product, domain).namespace())
                    .name(inputName(input, product, domain).name())
                    .facets(inputFacets(input).build())
                    .build());
        }
        return lineage.newRunEventBuilder()
                .eventType(EventType.START)
                .eventTime(time(at))
                .run(lineage.newRun(runUuid(runId), runFacets(invocationId).build()))
                .job(job(product, domain))
                .inputs(inputs)
                .outputs(List.of(output(product, outputFacets(product), null)))
                .build();
    }

    OpenLineage.RunEvent finished(String invocationId, EventType type, RunResult result, ProductSpec product,
            DomainSpec domain, Optional<StructType> published) {
        Map<String, InputSpec> byName = new LinkedHashMap<>();
        product.inputs().forEach(input -> byName.put(input.name(), input));
        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        for (InputRecord record : result.inputs()) {
            InputSpec input = byName.get(record.name());
            if (input == null) {
                continue;
            }
            OpenLineage.DatasetFacetsBuilder facets = inputFacets(input);
            if (record.version() != null) {
                facets.version(lineage.newDatasetVersionDatasetFacet(Long.toString(record.version())));
            }
            LineageDatasets.Name name = inputName(input, product, domain);
            inputs.add(lineage.newInputDatasetBuilder()
                    .namespace(name.namespace())
                    .name(name.name())
                    .facets(facets.build())
                    .inputFacets(lineage.newInputDatasetInputFacetsBuilder()
                            .inputStatistics(lineage.newInputStatisticsInputDatasetFacet(record.records(), null,
                                    null))
                            .build())
                    .build());
        }
        OpenLineage.DatasetFacetsBuilder outputFacets = outputFacets(product);
        published.ifPresent(schema -> outputFacets.schema(schema(schema, product)));
        if (result.outputVersion() != null && result.status() == dev.mesh.runtime.result.RunStatus.PUBLISHED) {
            outputFacets.version(lineage.newDatasetVersionDatasetFacet(Long.toString(result.outputVersion())));
        }
        GateResult gate = result.gate();
        if (!gate.constraints().isEmpty()) {
            outputFacets.put("dataQualityAssertions", new GateAssertionsFacet(PRODUCER, assertions(gate)));
        }
        if (!gate.metrics().isEmpty()) {
            outputFacets.dataQualityMetrics(metrics(gate, result));
        }
        if (!result.columns().columns().isEmpty()) {
            outputFacets.columnLineage(columnLineage(result.columns(), byName, product, domain));
        }
        OpenLineage.OutputDatasetOutputFacets statistics = result.status() == dev.mesh.runtime.result.RunStatus
                .PUBLISHED ? lineage.newOutputDatasetOutputFacetsBuilder()
                .outputStatistics(lineage.newOutputStatisticsOutputDatasetFacet(result.rowsOut(), null, null))
                .build() : null;
        OpenLineage.RunFacetsBuilder runFacets = runFacets(invocationId);
        if (type != EventType.COMPLETE && !result.error().isEmpty()) {
            runFacets.errorMessage(lineage.newErrorMessageRunFacet(Secrets.redact(result.error()), "java", null));
        }
        return lineage.newRunEventBuilder()
                .eventType(type)
                .eventTime(time(result.finishedAt()))
                .run(lineage.newRun(runUuid(result.runId()), runFacets.build()))
                .job(job(product, domain))
                .inputs(inputs)
                .outputs(List.of(output(product, outputFacets, statistics)))
                .build();
    }

    private OpenLineage.Job job(ProductSpec product, DomainSpec domain) {
        List<OpenLineage.OwnershipJobFacetOwners> owners = new ArrayList<>();
        owners.add(lineage.newOwnershipJobFacetOwners(product.owner(), "product owner"));
        if (domain != null) {
            domain.owners().stream().filter(owner -> !owner.equals(product.owner()))
                    .forEach(owner -> owners.add(lineage.newOwnershipJobFacetOwners(owner, "domain owner")));
        }
        OpenLineage.JobFacetsBuilder facets = lineage.newJobFacetsBuilder()
                .jobType(lineage.newJobTypeJobFacet("BATCH", "MESH", "DATA_PRODUCT", null))
                .ownership(lineage.newOwnershipJobFacet(owners));
        if (!product.description().isEmpty()) {
            facets.documentation(lineage.newDocumentationJobFacet(product.description(), "text/plain"));
        }
        return lineage.newJob(namespace, product.id().toString(), facets.build());
    }

    private OpenLineage.RunFacetsBuilder runFacets(String invocationId) {
        return lineage.newRunFacetsBuilder()
                .parent(lineage.newParentRunFacetBuilder()
                        .run(lineage.newParentRunFacetRun(runUuid(invocationId), null))
                        .job(lineage.newParentRunFacetJob(namespace, INVOCATION_JOB, null))
                        .build())
                .processing_engine(lineage.newProcessingEngineRunFacet(org.apache.spark.package$.MODULE$
                        .SPARK_VERSION(), "spark", null));
    }

    private OpenLineage.OutputDataset output(ProductSpec product, OpenLineage.DatasetFacetsBuilder facets,
            OpenLineage.OutputDatasetOutputFacets outputFacets) {
        LineageDatasets.Name name = LineageDatasets.ofProduct(zones, product.id());
        return lineage.newOutputDatasetBuilder()
                .namespace(name.namespace())
                .name(name.name())
                .facets(facets.build())
                .outputFacets(outputFacets)
                .build();
    }

    private OpenLineage.DatasetFacetsBuilder outputFacets(ProductSpec product) {
        OpenLineage.DatasetFacetsBuilder facets = lineage.newDatasetFacetsBuilder()
                .symlinks(symlink(product.id().toString()))
                .ownership(lineage.newOwnershipDatasetFacet(List.of(
                        lineage.newOwnershipDatasetFacetOwners(product.owner(), "product owner"))));
        if (!product.description().isEmpty()) {
            facets.documentation(lineage.newDocumentationDatasetFacet(product.description(), "text/plain"));
        }
        return facets;
    }

    private OpenLineage.DatasetFacetsBuilder inputFacets(InputSpec input) {
        OpenLineage.DatasetFacetsBuilder facets = lineage.newDatasetFacetsBuilder();
        if (input instanceof ProductInputSpec product) {
            facets.symlinks(symlink(product.product().toString()));
        }
        return facets;
    }

    private OpenLineage.SymlinksDatasetFacet symlink(String product) {
        return lineage.newSymlinksDatasetFacet(List.of(
                lineage.newSymlinksDatasetFacetIdentifiers(namespace, product, "TABLE")));
    }

    /**
     * The run's column lineage as OpenLineage's facet: each output column with the input fields it derives from
     * (DIRECT, subtype IDENTITY, TRANSFORMATION or AGGREGATION), and the fields that decide the rows of the whole
     * output (INDIRECT: FILTER, JOIN, GROUP_BY, SORT, WINDOW).
     */
    private OpenLineage.ColumnLineageDatasetFacet columnLineage(ColumnLineage columns, Map<String, InputSpec> byName,
            ProductSpec product, DomainSpec domain) {
        OpenLineage.ColumnLineageDatasetFacetFieldsBuilder fields = lineage.newColumnLineageDatasetFacetFieldsBuilder();
        columns.columns().forEach((column, sources) -> fields.put(column,
                lineage.newColumnLineageDatasetFacetFieldsAdditional(inputFields(sources, byName, product, domain),
                        null, null)));
        return lineage.newColumnLineageDatasetFacet(fields.build(), inputFields(columns.rows(), byName, product,
                domain));
    }

    private List<OpenLineage.InputField> inputFields(List<ColumnSource> sources, Map<String, InputSpec> byName,
            ProductSpec product, DomainSpec domain) {
        List<OpenLineage.InputField> fields = new ArrayList<>();
        for (ColumnSource source : sources) {
            InputSpec input = byName.get(source.input());
            if (input == null) {
                continue;
            }
            LineageDatasets.Name name = inputName(input, product, domain);
            fields.add(lineage.newInputField(name.namespace(), name.name(), source.column(), List.of(
                    lineage.newInputFieldTransformations(source.how().openLineageType(), source.how().name(), null,
                            null))));
        }
        return fields;
    }

    private LineageDatasets.Name inputName(InputSpec input, ProductSpec product, DomainSpec domain) {
        if (input instanceof ProductInputSpec upstream) {
            return LineageDatasets.ofProduct(zones, upstream.product());
        }
        if (input instanceof JdbcInputSpec jdbc) {
            return LineageDatasets.ofJdbc(jdbc, environment, namespace);
        }
        FileInputSpec files = (FileInputSpec) input;
        String landing = domain == null ? files.source() : domain.source(files.source())
                .map(source -> source.landing()).orElse(files.source());
        return LineageDatasets.ofLocation(zones.landing(product.domain(), landing, files.path()));
    }

    /** The published schema, with the descriptions the spec gives its columns. */
    private OpenLineage.SchemaDatasetFacet schema(StructType schema, ProductSpec product) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (ColumnSpec column : product.output().schema()) {
            descriptions.put(column.name(), column.description());
        }
        List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
        long position = 1;
        for (StructField field : schema.fields()) {
            String description = descriptions.getOrDefault(field.name(), "");
            fields.add(lineage.newSchemaDatasetFacetFieldsBuilder()
                    .name(field.name())
                    .type(field.dataType().simpleString())
                    .description(description.isEmpty() ? null : description)
                    .ordinal_position(position++)
                    .build());
        }
        return lineage.newSchemaDatasetFacet(fields);
    }

    private List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions(GateResult gate) {
        List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions = new ArrayList<>();
        for (ConstraintOutcome outcome : gate.constraints()) {
            // a rule over one column names it; one over several (or the whole dataset) names none
            boolean column = !outcome.instance().isEmpty() && !"*".equals(outcome.instance())
                    && !outcome.instance().contains(",");
            assertions.add(lineage.newDataQualityAssertionsDatasetFacetAssertionsBuilder()
                    .assertion(outcome.metricName().isEmpty() ? "custom" : outcome.metricName())
                    .name(outcome.constraint())
                    .success(outcome.passed())
                    .column(column ? outcome.instance() : null)
                    .severity(outcome.level().name().toLowerCase(java.util.Locale.ROOT))
                    .actual(outcome.value() == null ? null : format(outcome.value()))
                    .description(outcome.message().isEmpty() ? null : Secrets.redact(outcome.message()))
                    .build());
        }
        return assertions;
    }

    /** The gate's dataset and column metrics in the standard facet's terms; others stay in the platform tables. */
    private OpenLineage.DataQualityMetricsDatasetFacet metrics(GateResult gate, RunResult result) {
        Long rows = gate.metrics().stream()
                .filter(m -> m.name().equals("Size") && m.value() != null && m.error().isEmpty())
                .map(m -> m.value().longValue()).findFirst().orElse(null);
        Map<String, OpenLineage.DataQualityMetricsDatasetFacetColumnMetricsAdditionalBuilder> columns =
                new LinkedHashMap<>();
        for (MetricValue metric : gate.metrics()) {
            if (!"Column".equals(metric.entity()) || metric.value() == null || !metric.error().isEmpty()) {
                continue;
            }
            OpenLineage.DataQualityMetricsDatasetFacetColumnMetricsAdditionalBuilder column = columns.computeIfAbsent(
                    metric.instance(), name -> lineage.newDataQualityMetricsDatasetFacetColumnMetricsAdditionalBuilder());
            double value = metric.value();
            switch (metric.name()) {
                case "Completeness" -> {
                    if (rows != null) {
                        column.nullCount(Math.round(rows * (1 - value)));
                    }
                }
                case "Minimum" -> column.min(value);
                case "Maximum" -> column.max(value);
                case "Sum" -> column.sum(value);
                case "CountDistinct", "ApproxCountDistinct" -> column.distinctCount(Math.round(value));
                default -> { }
            }
        }
        OpenLineage.DataQualityMetricsDatasetFacetColumnMetricsBuilder columnMetrics =
                lineage.newDataQualityMetricsDatasetFacetColumnMetricsBuilder();
        columns.forEach((name, builder) -> columnMetrics.put(name, builder.build()));
        return lineage.newDataQualityMetricsDatasetFacetBuilder()
                .rowCount(rows != null ? rows : result.rowsOut())
                .columnMetrics(columnMetrics.build())
                .build();
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static ZonedDateTime time(Instant at) {
        return at.atZone(ZoneOffset.UTC);
    }
}
