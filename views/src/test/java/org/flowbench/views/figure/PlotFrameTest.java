package org.flowbench.views.figure;

import org.junit.jupiter.api.Test;

import java.awt.geom.Rectangle2D;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PlotFrameTest {

    @Test
    void equalAspectKeepsOneScaleAndShowsAtLeastTheData() {
        DataBounds data = new DataBounds(-4, 6, -3, 3);
        PlotFrame frame = PlotFrame.equalAspect(new Rectangle2D.Double(50, 20, 300, 300), data);

        assertThat(frame.unitsPerDataX()).isCloseTo(frame.unitsPerDataY(), within(1e-9));
        assertThat(frame.unitsPerDataX()).isCloseTo(30.0, within(1e-9));
        DataBounds shown = frame.shown();
        assertThat(shown.xMin()).isEqualTo(-4);
        assertThat(shown.xMax()).isEqualTo(6);
        assertThat(shown.yMin()).isCloseTo(-5, within(1e-9));
        assertThat(shown.yMax()).isCloseTo(5, within(1e-9));
    }

    @Test
    void dataToScreenPutsCornersOnTheAreaWithYUpAndInvertsExactly() {
        PlotFrame frame = PlotFrame.stretched(new Rectangle2D.Double(10, 20, 200, 100), new DataBounds(0, 4, -1, 1));

        assertThat(frame.screenX(0)).isEqualTo(10);
        assertThat(frame.screenX(4)).isEqualTo(210);
        assertThat(frame.screenY(-1)).isEqualTo(120);
        assertThat(frame.screenY(1)).isEqualTo(20);
        assertThat(frame.screenY(0)).isEqualTo(70);
        assertThat(frame.dataX(frame.screenX(2.75))).isCloseTo(2.75, within(1e-12));
        assertThat(frame.dataY(frame.screenY(-0.3))).isCloseTo(-0.3, within(1e-12));
    }

    @Test
    void ticksAreRoundNumbersInsideTheLimitsAtLeast26UnitsApart() {
        PlotFrame frame = PlotFrame.equalAspect(new Rectangle2D.Double(0, 0, 280, 180), new DataBounds(-4.3, 5.9, -2.8, 2.9));

        double step = frame.xTickStep();
        assertThat(step).isEqualTo(2.0);
        assertThat(frame.yTickStep()).isEqualTo(step);
        assertThat(frame.xTicks()).containsExactly(-4, -2, 0, 2, 4);
        assertThat(step * frame.unitsPerDataX()).isGreaterThanOrEqualTo(26);
        for (double y : frame.yTicks()) {
            assertThat(frame.shown().contains(frame.shown().xMin(), y)).isTrue();
        }
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(PlotFrame.niceStep(10, 5)).isEqualTo(2);
        assertThat(PlotFrame.niceStep(10, 10)).isEqualTo(1);
        assertThat(PlotFrame.niceStep(10, 3)).isEqualTo(5);
        assertThat(PlotFrame.niceStep(0.07, 7)).isCloseTo(0.01, within(1e-15));
        assertThat(PlotFrame.niceStep(300, 4)).isEqualTo(100);
    }

    @Test
    void tickLabelsUseTheStepsDecimalsAndATrueMinus() {
        assertThat(FigureText.tickLabel(-2, 2)).isEqualTo("\u22122");
        assertThat(FigureText.tickLabel(0, 0.5)).isEqualTo("0.0");
        assertThat(FigureText.tickLabel(-1e-17, 0.5)).isEqualTo("0.0");
        assertThat(FigureText.tickLabel(1.5, 0.5)).isEqualTo("1.5");
        assertThat(FigureText.tickLabel(0.02, 0.01)).isEqualTo("0.02");
        assertThat(FigureText.tickLabel(400, 100)).isEqualTo("400");
    }

    @Test
    void boundsOfPointsSkipNonFiniteOnesAndRejectNone() {
        DataBounds bounds = DataBounds.of(new float[] {1, 2, Float.NaN, 100, -3, 5});
        assertThat(bounds).isEqualTo(new DataBounds(-3, 1, 2, 5));
        assertThat(DataBounds.of(new float[] {2, 2}).width()).isEqualTo(1.0);
        assertThatThrownBy(() -> DataBounds.of(new float[] {Float.NaN, 0}))
                .hasMessage("no finite points to plot");
        assertThatThrownBy(() -> new DataBounds(1, 1, 0, 1))
                .hasMessage("plot limits must have positive width and height, got x [1.0, 1.0], y [0.0, 1.0]");
    }

    @Test
    void markupSplitsPlainTextAndSubscripts() {
        assertThat(FigureText.splitMarkup("x_{t} = (1 - t) x_{0}")).containsExactly("x", "t", " = (1 - t) x", "0", "");
        assertThat(FigureText.splitMarkup("no subscripts")).containsExactly("no subscripts");
    }
}
