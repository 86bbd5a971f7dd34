package dev.mesh.jobs.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A count of rows, runs or products at once: a whole number of at least 1, else a usage error (exit 2). */
final class PositiveCount implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int count;
        try {
            count = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number; give a count of at least 1");
        }
        if (count < 1) {
            throw new TypeConversionException("'" + value + "' is not a count of at least 1");
        }
        return count;
    }
}
