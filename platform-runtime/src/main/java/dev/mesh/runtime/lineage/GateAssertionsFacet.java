package dev.mesh.runtime.lineage;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The standard {@code dataQualityAssertions} facet, on the dataset the gate judged: the product's output. The client
 * library types it as an input facet only (checks run by a separate test job read the dataset); here the checks
 * are part of the run that writes it, so it travels with the output's dataset facets, with the same schema.
 */
@JsonPropertyOrder({"_producer", "_schemaURL", "assertions"})
@JsonInclude(JsonInclude.Include.NON_NULL)
final class GateAssertionsFacet implements OpenLineage.DatasetFacet {
    static final URI SCHEMA = URI.create(
            "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json"
                    + "#/$defs/DataQualityAssertionsDatasetFacet");

    private final URI producer;
    private final List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions;

    GateAssertionsFacet(URI producer, List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions) {
        this.producer = producer;
        this.assertions = List.copyOf(assertions);
    }

    @Override
    @JsonProperty("_producer")
    public URI get_producer() {
        return producer;
    }

    @Override
    @JsonProperty("_schemaURL")
    public URI get_schemaURL() {
        return SCHEMA;
    }

    @Override
    @JsonProperty("_deleted")
    public Boolean get_deleted() {
        return null;
    }

    @Override
    public Boolean isDeleted() {
        return null;
    }

    @JsonProperty("assertions")
    public List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> getAssertions() {
        return assertions;
    }

    @Override
    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return Map.of();
    }
}
