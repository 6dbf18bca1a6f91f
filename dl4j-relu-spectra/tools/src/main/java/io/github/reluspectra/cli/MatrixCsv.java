package io.github.reluspectra.cli;

import io.github.reluspectra.io.Messages;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads an operator {@code A} from CSV: one row of A per line, comma-separated numbers, no header. */
public final class MatrixCsv {

    private static final String BOM = "\uFEFF";
    /**
     * A decimal number: optional sign, digits with an optional point, optional exponent. Double.parseDouble
     * alone would also take Java's literals ({@code 0x1p-1}, {@code 1f}, {@code NaN}), which no CSV means.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private MatrixCsv() {}

    /**
     * @return A as a DOUBLE matrix
     * @throws InputException naming the file, line and column of the first problem
     */
    public static INDArray read(Path file) {
        return read(file, Integer.MAX_VALUE);
    }

    /**
     * The first {@code maxRows} rows (blank lines are not rows).
     *
     * @throws InputException naming the file, line and column of the first problem
     */
    public static INDArray read(Path file, int maxRows) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + " is a directory, not a CSV file");
        }
        if (!Files.exists(file)) {
            throw new InputException(file + ": no such file or directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + " is not a regular file (a device or a pipe), not a CSV file");
        }
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while (rows.size() < maxRows && (line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith(BOM)) {
                    line = line.substring(1); // spreadsheets save UTF-8 with a byte-order mark
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                double[] row = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    String cell = cells[j].strip();
                    if (!DECIMAL.matcher(cell).matches()
                            && !NON_FINITE.matcher(cell).matches()) {
                        throw new InputException(file + " line " + lineNumber + " column " + (j + 1)
                                + ": not a number: " + Messages.quote(cell) + " (decimals only)");
                    }
                    row[j] = NON_FINITE.matcher(cell).matches() ? Double.NaN : Double.parseDouble(cell);
                    if (!Double.isFinite(row[j])) {
                        throw new InputException(file + " line " + lineNumber + " column " + (j + 1) + ": "
                                + Messages.quote(cell) + " is not a finite number");
                    }
                }
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw new InputException(file + " line " + lineNumber + ": " + row.length
                            + " values, but the first row has " + rows.get(0).length);
                }
                rows.add(row);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(file + " is not a text file");
        } catch (IOException e) {
            throw new InputException("could not read " + file + ": " + Messages.reason(e), e);
        }
        if (rows.isEmpty()) {
            throw new InputException(file + " has no rows");
        }
        return Nd4j.createFromArray(rows.toArray(new double[0][]));
    }

    /**
     * A single row of {@code length} numbers, for example a bias.
     *
     * @param why what fixes the length, for the error message ("the matrix has 5 rows")
     */
    public static INDArray readRow(Path file, long length, String why) {
        INDArray row = read(file);
        if (row.rows() != 1 || row.columns() != length) {
            throw new InputException(file + " must be one line of " + length + " values (" + why + "), but has "
                    + row.rows() + " lines of " + row.columns());
        }
        return row.reshape(length);
    }
}
