package dev.mesh.runtime.run;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.InputReader;
import dev.mesh.runtime.spi.ProductTemplate;
import dev.mesh.runtime.spi.QualityGate;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.spi.TemplateCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The implementations behind the runtime's SPIs: input readers, templates, the quality gate and run listeners. The
 * runtime never imports them; they are found on the classpath through {@link ServiceLoader} (or handed in by tests).
 */
public record Extensions(List<InputReader> readers, List<ProductTemplate> templates, QualityGate gate,
        List<RunListener> listeners) {
    public Extensions {
        readers = List.copyOf(readers);
        templates = List.copyOf(templates);
        requireNonNull(gate, "gate is null");
        listeners = List.copyOf(listeners);
    }

    /** Without run listeners: runs only (for tests of the run itself). */
    public Extensions(List<InputReader> readers, List<ProductTemplate> templates, QualityGate gate) {
        this(readers, templates, gate, List.of());
    }

    public static Extensions load() {
        ClassLoader loader = Extensions.class.getClassLoader();
        List<InputReader> readers = new ArrayList<>();
        readers.add(new ProductInputReader());
        ServiceLoader.load(InputReader.class, loader).forEach(readers::add);
        List<ProductTemplate> templates = new ArrayList<>();
        ServiceLoader.load(ProductTemplate.class, loader).forEach(templates::add);
        QualityGate gate = ServiceLoader.load(QualityGate.class, loader).findFirst()
                .orElseThrow(() -> new MeshException(ErrorCode.INTERNAL, "no QualityGate on the classpath; "
                        + "the quality module must be deployed with the runtime"));
        List<RunListener> listeners = new ArrayList<>();
        ServiceLoader.load(RunListener.class, loader).forEach(listeners::add);
        requirePairs(TemplateCatalog.load(), templates);
        return new Extensions(readers, templates, gate, listeners);
    }

    /**
     * Every template has its two halves on the classpath, the Spark-free descriptor and the Spark template of the
     * same name: a half alone fails here, in one line, not when a product first runs.
     */
    static void requirePairs(TemplateCatalog descriptors, List<ProductTemplate> templates) {
        Set<String> described = new TreeSet<>();
        descriptors.descriptors().forEach(descriptor -> described.add(descriptor.name()));
        Set<String> implemented = new TreeSet<>();
        templates.forEach(template -> implemented.add(template.name()));
        Set<String> withoutTemplate = new TreeSet<>(described);
        withoutTemplate.removeAll(implemented);
        Set<String> withoutDescriptor = new TreeSet<>(implemented);
        withoutDescriptor.removeAll(described);
        if (!withoutTemplate.isEmpty() || !withoutDescriptor.isEmpty()) {
            throw new MeshException(ErrorCode.INTERNAL, "templates with half missing on the classpath: "
                    + (withoutTemplate.isEmpty() ? "" : "descriptor without a ProductTemplate: " + withoutTemplate
                            + (withoutDescriptor.isEmpty() ? "" : "; "))
                    + (withoutDescriptor.isEmpty() ? "" : "ProductTemplate without a descriptor: " + withoutDescriptor)
                    + "; deploy both halves of each template (META-INF/services of TemplateDescriptor and "
                    + "ProductTemplate)");
        }
    }

    InputReader readerFor(InputSpec input) {
        return readers.stream().filter(reader -> reader.supports(input)).findFirst()
                .orElseThrow(() -> new MeshException(ErrorCode.INTERNAL, "no input reader for input '"
                        + input.name() + "' (" + input.getClass().getSimpleName() + ") on the classpath"));
    }

    ProductTemplate templateFor(String template) {
        return templates.stream().filter(t -> t.name().equals(template)).findFirst()
                .orElseThrow(() -> new MeshException(ErrorCode.INTERNAL, "no implementation of template '"
                        + template + "' on the classpath; its descriptor is there, so deploy the jar with its "
                        + "ProductTemplate as well"));
    }
}
