package io.github.reluspectra.report;

import java.awt.Color;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;

/**
 * How the project's charts look: tick labels a reader takes in at a glance (80k, 1.2M, 0.25; never 8E4), and
 * related series in related colours (the same epoch, the same method: one hue, dashed for the reference).
 */
public final class ChartStyle {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    /** Colour-blind-safe hues (Okabe-Ito), one per group of related series. */
    private static final Color[] HUES = {
        new Color(0x0072B2),
        new Color(0xD55E00),
        new Color(0x009E73),
        new Color(0xCC79A7),
        new Color(0xE69F00),
        new Color(0x56B4E9),
        new Color(0x000000)
    };

    private ChartStyle() {}

    /** An 800 x 500 chart with readable tick labels on both axes. */
    public static XYChart chart(String title, String xAxis, String yAxis) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(xAxis)
                .yAxisTitle(yAxis)
                .build();
        chart.getStyler().setxAxisTickLabelsFormattingFunction(ChartStyle::compact);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(ChartStyle::compact);
        return chart;
    }

    /** The hue of group {@code i} (cycling). */
    public static Color hue(int i) {
        return HUES[Math.floorMod(i, HUES.length)];
    }

    /** Colours a series with its group's hue; a reference series (a bound, the linear counterpart) is dashed. */
    public static XYSeries colour(XYSeries series, int group, boolean reference) {
        series.setLineColor(hue(group));
        series.setMarkerColor(hue(group));
        if (reference) {
            series.setLineStyle(SeriesLines.DASH_DASH);
        }
        return series;
    }

    /** 80000 -> 80k, 1200000 -> 1.2M, 0.25 -> 0.25, 3 -> 3. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
