package io.github.reluspectra.cli;

import io.github.reluspectra.io.Messages;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads an operator {@code A} from CSV: one row of A per line, comma-separated numbers, no header. */
public final class MatrixCsv {

    private static final String BOM = "\uFEFF";

    private MatrixCsv() {
    }

    /**
     * @return A as a DOUBLE matrix
     * @throws InputException naming the file, line and column of the first problem
     */
    public static INDArray read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("matrix file not found: " + file);
        }
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith(BOM)) {
                    line = line.substring(1);  // spreadsheets save UTF-8 with a byte-order mark
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                double[] row = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    String cell = cells[j].strip();
                    try {
                        row[j] = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new InputException(file + " line " + lineNumber + " column " + (j + 1)
                                + ": not a number: " + Messages.quote(cell));
                    }
                    if (!Double.isFinite(row[j])) {
                        throw new InputException(file + " line " + lineNumber + " column " + (j + 1)
                                + ": " + Messages.quote(cell) + " is not a finite number");
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
