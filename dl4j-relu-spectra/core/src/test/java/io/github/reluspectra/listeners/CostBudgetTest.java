package io.github.reluspectra.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The cost budget's accounting on a clock of its own, and both listeners under a budget. */
class CostBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void trainingTimeEarnsCreditAndPartsSpendIt() {
        AtomicLong now = new AtomicLong();
        CostBudget budget = new CostBudget(0.1, now::get);
        assertThat(budget.refusal("a"))
                .as("nothing earned yet")
                .contains("a: skipped by the cost budget", "not run yet");
        budget.epochStarted();
        now.addAndGet(10 * SECOND);
        budget.epochEnded();
        assertThat(budget.credit()).isCloseTo(1.0, within(1e-12));
        assertThat(budget.refusal("a"))
                .as("never run: runs while credit is left")
                .isNull();
        budget.spent("a", 3.0);
        assertThat(budget.credit()).isCloseTo(-2.0, within(1e-12));
        assertThat(budget.refusal("b")).contains("not run yet", "0.00 s left");
        for (int epoch = 0; epoch < 4; epoch++) {
            budget.epochStarted();
            now.addAndGet(10 * SECOND);
            budget.epochEnded();
        }
        assertThat(budget.refusal("a"))
                .as("2 s earned of the 3 s it took")
                .contains("took 3.00 s last time", "2.00 s left");
        budget.epochStarted();
        now.addAndGet(10 * SECOND);
        budget.epochEnded();
        assertThat(budget.refusal("a")).isNull();
        budget.spent(0.5);
        assertThat(budget.credit()).isCloseTo(2.5, within(1e-12));
        budget.epochEnded();
        assertThat(budget.credit()).as("an end without a start earns nothing").isCloseTo(2.5, within(1e-12));
        assertThatThrownBy(() -> new CostBudget(0)).hasMessageContaining("costBudget must be a positive share");
        assertThatThrownBy(() -> new CostBudget(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A budget far below the analyses' cost: the first epoch's credit goes to the pass of the data through the
     * network (at most one piece of work overruns it), then every part waits and each record says why.
     */
    @Test
    void listenersUnderATinyBudgetSkipAndSaySo() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(2)
                .data(TinyNetworks.train(), 40)
                .costBudget(1e-9)
                .build();
        SeparationListener separation = SeparationListener.builder(TinyNetworks.heldOut())
                .fitData(TinyNetworks.train(), 40)
                .costBudget(1e-9)
                .build();
        net.setListeners(spectra, separation);
        net.fit(TinyNetworks.train(), 3);

        EpochSpectra first = spectra.history().get(0);
        assertThat(first.layers()).hasSizeLessThanOrEqualTo(1);
        assertThat(first.skipped()).isNotEmpty().allSatisfy(s -> assertThat(s).contains("skipped by the cost budget"));
        for (EpochSpectra later : spectra.history().subList(1, 3)) {
            assertThat(later.layers()).isEmpty();
            assertThat(later.skipped())
                    .hasSize(3)
                    .first()
                    .asString()
                    .startsWith("layer 'hidden' spectra: skipped by the cost budget (0.00 of training time;");
        }
        assertThat(first.provenance().options()).containsEntry("costBudget", 1e-9);
        EpochSeparation laterSeparation = separation.history().get(2);
        assertThat(laterSeparation.msp()).isNull();
        assertThat(laterSeparation.failures()).isEmpty();
        assertThat(laterSeparation.skipped()).anySatisfy(s -> assertThat(s).startsWith("layer 'hidden' measures"));
        assertThat(laterSeparation.table()).startsWith("epoch 2 separation skipped: ");
    }

    /** A budget far above the analyses' cost changes nothing. */
    @Test
    void aGenerousBudgetSkipsNothing() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(2)
                .data(TinyNetworks.train(), 40)
                .costBudget(1e6)
                .build();
        SeparationListener separation = SeparationListener.builder(TinyNetworks.heldOut())
                .fitData(TinyNetworks.train(), 40)
                .costBudget(1e6)
                .build();
        net.setListeners(spectra, separation);
        net.fit(TinyNetworks.train(), 2);
        assertThat(spectra.history()).allSatisfy(e -> {
            assertThat(e.skipped()).isEmpty();
            assertThat(e.layers()).hasSize(3);
            assertThat(e.layers().get(0).overData()).isNotNull();
        });
        assertThat(separation.history()).allSatisfy(e -> {
            assertThat(e.skipped()).isEmpty();
            assertThat(e.scores()).anySatisfy(s -> assertThat(s.measure()).isEqualTo("residual"));
        });
    }
}
