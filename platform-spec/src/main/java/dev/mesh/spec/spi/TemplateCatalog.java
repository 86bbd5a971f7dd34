package dev.mesh.spec.spi;

import dev.mesh.spec.model.TemplateParameter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The templates products can name: every {@link TemplateDescriptor} on the classpath, by name. */
public final class TemplateCatalog {
    private final Map<String, TemplateDescriptor> byName;

    private TemplateCatalog(Map<String, TemplateDescriptor> byName) {
        this.byName = byName;
    }

    public static TemplateCatalog of(Collection<? extends TemplateDescriptor> descriptors) {
        Map<String, TemplateDescriptor> byName = new LinkedHashMap<>();
        for (TemplateDescriptor descriptor : descriptors) {
            TemplateDescriptor other = byName.putIfAbsent(descriptor.name(), descriptor);
            if (other != null) {
                throw new IllegalStateException("two templates are named '" + descriptor.name() + "': "
                        + other.getClass().getName() + " and " + descriptor.getClass().getName());
            }
            checkParameters(descriptor);
        }
        return new TemplateCatalog(byName);
    }

    /** Every descriptor registered under {@code META-INF/services/dev.mesh.spec.spi.TemplateDescriptor}. */
    public static TemplateCatalog load() {
        return of(ServiceLoader.load(TemplateDescriptor.class, TemplateCatalog.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    public Optional<TemplateDescriptor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<TemplateDescriptor> descriptors() {
        return List.copyOf(byName.values());
    }

    public Map<String, TemplateDescriptor> byName() {
        return byName;
    }

    private static void checkParameters(TemplateDescriptor descriptor) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (TemplateParameter parameter : descriptor.parameters()) {
            if (parameter.name().equals("template") || !names.add(parameter.name())) {
                throw new IllegalStateException("template '" + descriptor.name() + "' declares parameter '"
                        + parameter.name() + "' twice or under the reserved name 'template'");
            }
        }
    }
}
