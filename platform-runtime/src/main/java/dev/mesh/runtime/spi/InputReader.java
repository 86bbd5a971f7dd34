package dev.mesh.runtime.spi;

import dev.mesh.spec.model.InputSpec;

/** Reads one kind of product input (landing files, JDBC tables, ...); found through {@link java.util.ServiceLoader}. */
public interface InputReader {
    boolean supports(InputSpec input);

    /** Resolves the input: a lazy Dataset plus what identifies the data read (files and their versions). */
    ResolvedInput read(InputContext context, InputSpec input);
}
