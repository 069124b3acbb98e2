package org.flowbench.views.lab;

import javafx.animation.AnimationTimer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.Objects;

/**
 * The timeline under an animated figure: play/pause, step back and forward, a scrubbing slider,
 * loop and speed, over a position property running from {@code min} to {@code max} (a time, or a
 * step index with a step size of 1). Playing advances the position in real time; the animation
 * timer runs only while playing. With loop on, the end is held for a quarter of a cycle before
 * playback starts again.
 *
 * <p>Keys (see {@link #handleKey}): Space plays or pauses, Left and Right step, Home and End
 * jump to the ends.
 */
public final class TimelineBar extends VBox {

    private final DoubleProperty position;
    private final double min;
    private final double max;
    private final Slider slider;
    private final Button play = new Button("Play");
    private final Button back = new Button("\u25c0 Step");
    private final Button forward = new Button("Step \u25b6");
    private final ComboBox<Double> speed = new ComboBox<>(FXCollections.observableArrayList(0.25, 0.5, 1.0, 2.0, 4.0));
    private final CheckBox loop = new CheckBox("Loop");
    private final Label info = new Label();
    private final HBox bar = new HBox(8);
    private final ReadOnlyBooleanWrapper playing = new ReadOnlyBooleanWrapper(this, "playing", false);
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", true);
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            advance(now);
        }
    };
    private double secondsForRange = 4.0;
    private double stepSize;
    private Runnable stepForward;
    private Runnable stepBack;
    private long lastFrameNanos;
    private double unsnapped = Double.NaN;

    /**
     * @param position the property the timeline drives and follows (two-way)
     * @param min      its first value
     * @param max      its last value (greater than min)
     */
    public TimelineBar(DoubleProperty position, double min, double max) {
        if (!(max > min)) {
            throw new IllegalArgumentException("timeline range must be increasing (got " + min + " to " + max + ")");
        }
        this.position = Objects.requireNonNull(position, "position");
        this.min = min;
        this.max = max;
        this.slider = new Slider(min, max, position.get());
        stepForward = () -> stepBy(+1);
        stepBack = () -> stepBy(-1);
        getStyleClass().add("timeline-bar");

        play.setId("playButton");
        play.setTooltip(new Tooltip("Play or pause (Space)"));
        play.setOnAction(e -> toggle());
        // wide enough for "Pause" too, so the bar does not jump when it toggles; in em, so it grows with View > Zoom
        play.setMinWidth(Region.USE_PREF_SIZE);
        play.setStyle("-fx-pref-width: 5.6em;");
        back.setId("stepBackButton");
        back.setTooltip(new Tooltip("Back one step (Left)"));
        back.setOnAction(e -> {
            stop();
            stepBack.run();
        });
        forward.setId("stepForwardButton");
        forward.setTooltip(new Tooltip("Forward one step (Right)"));
        forward.setOnAction(e -> {
            stop();
            stepForward.run();
        });
        back.setMinWidth(Region.USE_PREF_SIZE);
        forward.setMinWidth(Region.USE_PREF_SIZE);

        slider.setId("timeSlider");
        slider.setTooltip(new Tooltip("Drag to scrub; Home and End jump to the ends"));
        slider.setShowTickMarks(true);
        slider.setMajorTickUnit((max - min) / 4);
        slider.setMinorTickCount(4);
        slider.setMinWidth(80);
        slider.valueProperty().bindBidirectional(position);
        slider.setOnMousePressed(e -> stop());
        HBox.setHgrow(slider, Priority.ALWAYS);

        speed.setId("speedBox");
        speed.setValue(1.0);
        speed.setTooltip(new Tooltip("Playback speed"));
        speed.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : v + "\u00d7";
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("\u00d7", ""));
            }
        });
        speed.setMinWidth(Region.USE_PREF_SIZE);
        loop.setId("loopBox");
        loop.setSelected(true);
        loop.setTooltip(new Tooltip("Start again after the end"));
        loop.setMinWidth(Region.USE_PREF_SIZE);
        info.setId("timeLabel");
        info.setMinWidth(0);

        bar.getChildren().setAll(play, back, forward, slider, speed, loop);
        bar.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(bar, info);
        // On a narrow page the slider takes a row of its own above the buttons.
        widthProperty().addListener((obs, before, now) -> arrange(now.doubleValue()));
        setSpacing(4);
        setPadding(new Insets(6, 16, 8, 16));
        setId("timeline");
        active.addListener((obs, was, now) -> {
            if (!now) {
                stop();
            }
        });
    }

    /** Below this width the slider sits on its own row. */
    static final double NARROW_WIDTH = 600;

    private void arrange(double width) {
        boolean narrow = width > 0 && width < NARROW_WIDTH;
        boolean sliderAlone = getChildren().contains(slider);
        if (narrow && !sliderAlone) {
            bar.getChildren().remove(slider);
            getChildren().add(0, slider);
            slider.setMaxWidth(Double.MAX_VALUE);
            setPadding(new Insets(4, 10, 6, 10));
        } else if (!narrow && sliderAlone) {
            getChildren().remove(slider);
            bar.getChildren().add(3, slider);
            setPadding(new Insets(6, 16, 8, 16));
        }
    }

    /** True while playing; {@link #play()}, {@link #stop()} and the controls change it. */
    public ReadOnlyBooleanProperty playingProperty() {
        return playing.getReadOnlyProperty();
    }

    public boolean isPlaying() {
        return playing.get();
    }

    /** Plays from the current position, or from the start when at the end. */
    public void play() {
        if (playing.get() || !active.get()) {
            return;
        }
        if (position.get() >= max) {
            position.set(min);
        }
        lastFrameNanos = 0;
        unsnapped = Double.NaN;
        playing.set(true);
        play.setText("Pause");
        timer.start();
    }

    /** Pauses where it is and stops the animation timer. */
    public void stop() {
        timer.stop();
        if (playing.get()) {
            playing.set(false);
            play.setText("Play");
        }
    }

    public void toggle() {
        if (playing.get()) {
            stop();
        } else {
            play();
        }
    }

    /** While false the timeline does not play (its page is off screen). */
    public BooleanProperty activeProperty() {
        return active;
    }

    /** How long playback takes from min to max at speed 1 (4 s unless set). */
    public void setSecondsForRange(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be positive (got " + seconds + ")");
        }
        secondsForRange = seconds;
    }

    /**
     * Makes the position move in whole steps of {@code size} (1 for a step index); 0, the
     * default, moves it continuously and steps by a twentieth of the range.
     */
    public void setStepSize(double size) {
        if (!(size >= 0)) {
            throw new IllegalArgumentException("step size must be 0 or positive (got " + size + ")");
        }
        stepSize = size;
        slider.setSnapToTicks(size > 0);
        if (size > 0) {
            slider.setMajorTickUnit(size * Math.max(1, Math.round((max - min) / size / 8)));
            slider.setMinorTickCount(0);
        }
    }

    /** What the step buttons and arrow keys do instead of moving by one step size (e.g. to the next solver step). */
    public void setStepActions(Runnable forwardAction, Runnable backAction) {
        stepForward = Objects.requireNonNull(forwardAction, "forwardAction");
        stepBack = Objects.requireNonNull(backAction, "backAction");
    }

    /** The line under the bar (what the position means: time, step, evaluations). */
    public Label infoLabel() {
        return info;
    }

    public CheckBox loopBox() {
        return loop;
    }

    public ComboBox<Double> speedBox() {
        return speed;
    }

    public void stepForward() {
        stop();
        stepForward.run();
    }

    public void stepBack() {
        stop();
        stepBack.run();
    }

    /**
     * Handles the timeline's keys (Space, Left, Right, Home, End, without modifiers) and consumes
     * them; other keys are left alone. Returns whether the key was the timeline's.
     */
    public boolean handleKey(KeyEvent e) {
        if (e.isShortcutDown() || e.isAltDown() || e.isControlDown() || e.isMetaDown()) {
            return false;
        }
        KeyCode code = e.getCode();
        switch (code) {
            case SPACE -> toggle();
            case LEFT, KP_LEFT -> stepBack();
            case RIGHT, KP_RIGHT -> stepForward();
            case HOME -> {
                stop();
                position.set(min);
            }
            case END -> {
                stop();
                position.set(max);
            }
            default -> {
                return false;
            }
        }
        e.consume();
        return true;
    }

    /** Lets {@code scope} (usually the page) route its unhandled key presses to {@link #handleKey}. */
    public void installKeys(Node scope) {
        scope.addEventHandler(KeyEvent.KEY_PRESSED, this::handleKey);
    }

    private void stepBy(int direction) {
        double now = position.get();
        double next;
        if (stepSize > 0) {
            // to the next whole step in that direction, even from between steps
            double steps = (now - min) / stepSize;
            next = min + stepSize * (direction > 0 ? Math.floor(steps + 1e-9) + 1 : Math.ceil(steps - 1e-9) - 1);
        } else {
            next = now + direction * (max - min) / 20;
        }
        position.set(Math.max(min, Math.min(max, next)));
    }

    private double snap(double value) {
        return stepSize > 0 ? min + Math.floor((value - min) / stepSize + 1e-9) * stepSize : value;
    }

    /** One animation frame: moves the position by the real time elapsed since the last frame. */
    void advance(long now) {
        if (!playing.get()) {
            return;
        }
        if (lastFrameNanos == 0) {
            lastFrameNanos = now;
            return;
        }
        double dt = (now - lastFrameNanos) / 1e9;
        lastFrameNanos = now;
        double rate = speed.getValue() == null ? 1.0 : speed.getValue();
        // continue from where playback left off, unless someone else moved the position since
        double start = !Double.isNaN(unsnapped) && snap(Math.min(max, unsnapped)) == position.get() ? unsnapped : position.get();
        double next = start + dt * rate * (max - min) / secondsForRange;
        double hold = 0.25 * (max - min);
        if (next >= max) {
            if (!loop.isSelected()) {
                position.set(max);
                stop();
                return;
            }
            if (next >= max + hold) {
                next = min;
            }
        }
        unsnapped = next;
        position.set(snap(Math.min(max, next)));
    }
}
