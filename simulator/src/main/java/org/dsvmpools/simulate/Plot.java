package org.dsvmpools.simulate;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.time.Minute;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/** Active users, running instances and, for our policy, the forecast over time, one panel per policy, as a PNG. */
final class Plot {
    private static final Color USERS = new Color(0xD62728);
    private static final Color RUNNING = new Color(0x1F77B4);
    private static final Color FORECAST = new Color(0x2CA02C);
    private Plot() {
    }

    static void write(Map<String, List<Simulation.Sample>> samples, Path png) throws IOException {
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new DateAxis("time (UTC)"));
        for (Map.Entry<String, List<Simulation.Sample>> policy : samples.entrySet()) {
            TimeSeries users = new TimeSeries("active users");
            TimeSeries running = new TimeSeries("running instances");
            TimeSeries forecast = new TimeSeries("forecast users");
            for (Simulation.Sample sample : policy.getValue()) {
                Minute minute = new Minute(java.util.Date.from(sample.time()), java.util.TimeZone.getTimeZone("UTC"),
                        java.util.Locale.ROOT);
                users.addOrUpdate(minute, sample.users());
                running.addOrUpdate(minute, sample.running());
                if (sample.forecast() != null) {
                    forecast.addOrUpdate(minute, sample.forecast());
                }
            }
            TimeSeriesCollection data = new TimeSeriesCollection();
            data.addSeries(users);
            data.addSeries(running);
            data.addSeries(forecast);
            XYStepRenderer renderer = new XYStepRenderer();
            renderer.setSeriesPaint(0, USERS);
            renderer.setSeriesPaint(1, RUNNING);
            renderer.setSeriesPaint(2, FORECAST);
            combined.add(new XYPlot(data, null, new NumberAxis(policy.getKey()), renderer));
        }
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(new LegendItem("active or waiting users", USERS));
        legend.add(new LegendItem("running instances", RUNNING));
        legend.add(new LegendItem("users the forecast expected (dsvmpools)", FORECAST));
        combined.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart("dsvm-pools simulation", JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 220 * Math.max(1, samples.size()));
    }
}
