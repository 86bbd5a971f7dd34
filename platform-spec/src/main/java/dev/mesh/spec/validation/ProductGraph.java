package dev.mesh.spec.validation;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The products of a mesh as a graph of inputs, the one graph code of the platform: resolves names, finds cycles (for
 * validation) and orders products so inputs run first (for runs and plans). Spark-free.
 */
public final class ProductGraph {
    private final Map<ProductId, ProductSpec> products = new LinkedHashMap<>();

    public ProductGraph(MeshSpec mesh) {
        this(mesh.products());
    }

    /** The graph of {@code products}; an input naming a product not among them is no edge. */
    public ProductGraph(Collection<ProductSpec> products) {
        products.forEach(product -> this.products.put(product.id(), product));
    }

    /** Resolves {@code domain.product} names, failing with the nearest known name for a misspelt one. */
    public List<ProductId> resolve(List<String> names) {
        List<String> known = products.keySet().stream().map(ProductId::toString).sorted().toList();
        Set<ProductId> ids = new LinkedHashSet<>();
        for (String name : names) {
            ProductId id = ProductId.parse(name);
            if (id == null || !products.containsKey(id)) {
                throw MeshException.invalidInput("no product '%s' in the mesh%s (products: %s)", name,
                        NearestNames.suggestion(name, known), String.join(", ", known));
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    /**
     * Resolves selectors, as {@code mesh run} and {@code mesh plan} take them: {@code DOMAIN.PRODUCT},
     * {@code tag:NAME}, {@code domain:NAME}, {@code state:modified[:REF]} (the products whose specs
     * {@code modified} finds changed since a git ref, HEAD by default); a leading {@code +} adds everything
     * upstream, a trailing one everything downstream ({@code +P}, {@code P+}, {@code +P+}). A selector that
     * matches nothing fails, naming what exists.
     */
    public List<ProductId> select(List<String> selectors,
            java.util.function.Function<String, Set<ProductId>> modified) {
        Set<ProductId> chosen = new LinkedHashSet<>();
        for (String selector : selectors) {
            boolean up = selector.startsWith("+");
            boolean down = selector.length() > 1 && selector.endsWith("+");
            String core = selector.substring(up ? 1 : 0, selector.length() - (down ? 1 : 0));
            Set<ProductId> base = new LinkedHashSet<>(base(core, modified));
            if (base.isEmpty() && !core.startsWith("state:")) {
                throw MeshException.invalidInput("selector '%s' matches no product (%s)", selector, existing(core));
            }
            chosen.addAll(base);
            for (ProductId id : base) {
                if (up) {
                    chosen.addAll(reach(id, this::upstreamOf));
                }
                if (down) {
                    chosen.addAll(reach(id, this::downstreamOf));
                }
            }
        }
        return chosen.stream().sorted().toList();
    }

    private List<ProductId> base(String core, java.util.function.Function<String, Set<ProductId>> modified) {
        if (core.startsWith("tag:")) {
            String tag = core.substring(4);
            return products.values().stream().filter(p -> p.tags().contains(tag)).map(ProductSpec::id).toList();
        }
        if (core.startsWith("domain:")) {
            String domain = core.substring(7);
            return products.keySet().stream().filter(id -> id.domain().equals(domain)).toList();
        }
        if (core.startsWith("state:")) {
            if (!core.equals("state:modified") && !core.startsWith("state:modified:")) {
                throw MeshException.invalidInput("selector '%s': the state selector is state:modified (against "
                        + "HEAD) or state:modified:REF (against a git ref, e.g. state:modified:origin/main)", core);
            }
            String ref = core.equals("state:modified") ? "HEAD" : core.substring("state:modified:".length());
            return modified.apply(ref).stream().filter(products::containsKey).toList();
        }
        return resolve(List.of(core));
    }

    private String existing(String core) {
        if (core.startsWith("tag:")) {
            return "tags: " + String.join(", ", products.values().stream().flatMap(p -> p.tags().stream())
                    .distinct().sorted().toList());
        }
        return "domains: " + String.join(", ", products.keySet().stream().map(ProductId::domain).distinct()
                .sorted().toList());
    }

    private List<ProductId> upstreamOf(ProductId id) {
        return products.get(id).upstream().stream().filter(products::containsKey).toList();
    }

    private List<ProductId> downstreamOf(ProductId id) {
        return products.values().stream().filter(p -> p.upstream().contains(id)).map(ProductSpec::id).toList();
    }

    private static Set<ProductId> reach(ProductId start, java.util.function.Function<ProductId, List<ProductId>> next) {
        Set<ProductId> seen = new LinkedHashSet<>();
        List<ProductId> frontier = new ArrayList<>(next.apply(start));
        while (!frontier.isEmpty()) {
            ProductId id = frontier.remove(frontier.size() - 1);
            if (seen.add(id)) {
                frontier.addAll(next.apply(id));
            }
        }
        return seen;
    }

    public List<ProductId> all() {
        return products.keySet().stream().sorted().toList();
    }

    /**
     * Orders {@code selected} so that every product comes after the selected products it reads (Kahn's algorithm,
     * ties by name so the order is stable). The spec validator has already rejected cycles.
     */
    public List<ProductId> order(List<ProductId> selected) {
        Schedule schedule = schedule(selected);
        List<ProductId> order = new ArrayList<>();
        while (schedule.hasReady()) {
            ProductId next = schedule.next();
            order.add(next);
            schedule.finished(next);
        }
        if (order.size() != schedule.size()) {
            throw new IllegalStateException("cycle among " + selected + " (the validator should have rejected it)");
        }
        return order;
    }

    /** Kahn's algorithm step by step over {@code selected}, for a runner that finishes products as they come. */
    public Schedule schedule(List<ProductId> selected) {
        Set<ProductId> chosen = new LinkedHashSet<>(selected);
        Map<ProductId, Integer> pending = new HashMap<>();
        Map<ProductId, List<ProductId>> consumers = new HashMap<>();
        for (ProductId id : chosen) {
            List<ProductId> upstream = upstreamWithin(id, chosen);
            pending.put(id, upstream.size());
            upstream.forEach(u -> consumers.computeIfAbsent(u, k -> new ArrayList<>()).add(id));
        }
        return new Schedule(pending, consumers);
    }

    /**
     * Which of the selected products may start: those whose selected inputs have all finished. Ties go by name, so
     * that the order is stable. Not thread-safe: one thread schedules.
     */
    public static final class Schedule {
        private final Map<ProductId, Integer> pending;
        private final Map<ProductId, List<ProductId>> consumers;
        private final TreeSet<ProductId> ready = new TreeSet<>();

        private Schedule(Map<ProductId, Integer> pending, Map<ProductId, List<ProductId>> consumers) {
            this.pending = pending;
            this.consumers = consumers;
            pending.forEach((id, count) -> {
                if (count == 0) {
                    ready.add(id);
                }
            });
        }

        /** How many products the schedule holds. */
        public int size() {
            return pending.size();
        }

        public boolean hasReady() {
            return !ready.isEmpty();
        }

        /** The next product that may start (there must be one). */
        public ProductId next() {
            return ready.pollFirst();
        }

        /** {@code id} has finished, whatever its outcome: its consumers no longer wait for it. */
        public void finished(ProductId id) {
            for (ProductId consumer : consumers.getOrDefault(id, List.of())) {
                if (pending.merge(consumer, -1, Integer::sum) == 0) {
                    ready.add(consumer);
                }
            }
        }
    }

    /**
     * Groups {@code selected} in waves: a product is in the wave after the latest wave of the selected products it
     * reads, so all products of a wave can run at once.
     */
    public List<List<ProductId>> waves(List<ProductId> selected) {
        Set<ProductId> chosen = new LinkedHashSet<>(selected);
        Map<ProductId, Integer> wave = new HashMap<>();
        List<List<ProductId>> waves = new ArrayList<>();
        for (ProductId id : order(selected)) {
            int level = upstreamWithin(id, chosen).stream().mapToInt(u -> wave.get(u) + 1).max().orElse(0);
            wave.put(id, level);
            while (waves.size() <= level) {
                waves.add(new ArrayList<>());
            }
            waves.get(level).add(id);
        }
        return waves;
    }

    /** The products {@code id} reads that are also in {@code chosen}. */
    public List<ProductId> upstreamWithin(ProductId id, Set<ProductId> chosen) {
        return products.get(id).upstream().stream().filter(chosen::contains).distinct().toList();
    }

    /**
     * The cycles among the products, each once, as the path that closes it ({@code a -> b -> a}), found by a
     * depth-first search in the products' order.
     */
    public List<List<ProductId>> cycles() {
        List<List<ProductId>> cycles = new ArrayList<>();
        Map<ProductId, Boolean> done = new HashMap<>();
        for (ProductId id : products.keySet()) {
            visit(id, done, new ArrayList<>(), cycles);
        }
        return cycles;
    }

    /** {@code done}: false while on the current path, true once all its upstream is searched. */
    private void visit(ProductId id, Map<ProductId, Boolean> done, List<ProductId> path,
            List<List<ProductId>> cycles) {
        ProductSpec product = products.get(id);
        if (product == null || Boolean.TRUE.equals(done.get(id))) {
            return;
        }
        if (Boolean.FALSE.equals(done.get(id))) {
            List<ProductId> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            cycles.add(List.copyOf(cycle));
            return;
        }
        done.put(id, false);
        path.add(id);
        for (ProductId upstream : product.upstream()) {
            visit(upstream, done, path, cycles);
        }
        path.remove(path.size() - 1);
        done.put(id, true);
    }
}
