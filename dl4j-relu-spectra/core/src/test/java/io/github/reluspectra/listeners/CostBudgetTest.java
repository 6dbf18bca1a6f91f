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

    private static final CostBudget.Part A = new CostBudget.Part("a", "kind", 10);
    private static final CostBudget.Part B = new CostBudget.Part("b", "kind", 5);
    private static final CostBudget.Part OTHER = new CostBudget.Part("c", "other kind", 5);
    private static final CostBudget.Part PASS = CostBudget.Part.pass("the pass");

    /** An epoch of {@code seconds} of training on the budget's clock. */
    private static void train(CostBudget budget, AtomicLong now, long seconds) {
        budget.epochStarted();
        now.addAndGet(seconds * SECOND);
        budget.epochEnded();
    }

    @Test
    void trainingTimeEarnsCreditAndPartsSpendIt() {
        AtomicLong now = new AtomicLong();
        CostBudget budget = new CostBudget(0.1, now::get);
        assertThat(budget.refusal(A)).as("nothing earned yet").contains("a: skipped by the cost budget", "not run yet");
        train(budget, now, 10);
        assertThat(budget.credit()).isCloseTo(1.0, within(1e-12));
        assertThat(budget.refusal(A)).as("never run: runs while credit is left").isNull();
        budget.spent(A, 3.0);
        assertThat(budget.credit()).isCloseTo(-2.0, within(1e-12));
        assertThat(budget.refusal(OTHER)).contains("not run yet", "0.00 s left");
        for (int epoch = 0; epoch < 4; epoch++) {
            train(budget, now, 10);
        }
        assertThat(budget.refusal(A))
                .as("2 s earned of the 3 s it took")
                .contains("took 3.00 s last time", "2.00 s left");
        train(budget, now, 10);
        assertThat(budget.refusal(A)).isNull();
        budget.spent(PASS, 0.5);
        assertThat(budget.credit()).isCloseTo(2.5, within(1e-12));
        budget.epochEnded();
        assertThat(budget.credit()).as("an end without a start earns nothing").isCloseTo(2.5, within(1e-12));
        assertThatThrownBy(() -> new CostBudget(0)).hasMessageContaining("costBudget must be a positive share");
        assertThatThrownBy(() -> new CostBudget(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A part never run yet is judged by the first run of a part of its kind, scaled by size, or of a kind never run,
     * by the costliest first run of any kind: the first run is the costly one, and letting every new part overrun
     * its credit once kept a run above its share for many epochs.
     */
    @Test
    void aNewPartIsJudgedByTheFirstRunOfItsKind() {
        AtomicLong now = new AtomicLong();
        CostBudget budget = new CostBudget(0.1, now::get);
        train(budget, now, 30);
        budget.spent(A, 3.0); // 0.3 s per unit of size, on its first run
        budget.spent(A, 1.0); // a later run is cheaper: the kind's rate stays that of the first
        assertThat(budget.credit()).isCloseTo(-1.0, within(1e-12));
        train(budget, now, 20);
        assertThat(budget.refusal(B))
                .as("about 1.5 s against 1 s of credit")
                .contains("not run yet, about 1.50 s by the first runs so far", "1.00 s left");
        assertThat(budget.refusal(OTHER))
                .as("no part of its kind has run: judged by the costliest first run, 0.3 s per unit")
                .contains("not run yet, about 1.50 s by the first runs so far");
        assertThat(budget.refusal(A)).as("its own last run: 1 s").isNull();
        train(budget, now, 5);
        assertThat(budget.refusal(B)).isNull();
        assertThat(budget.refusal(OTHER)).isNull();
    }

    /**
     * A pass of data runs only when the credit covers it and the part that needs it: a pass paid for parts that
     * then wait is time lost.
     */
    @Test
    void aPassIsPaidOnlyWithThePartAfterIt() {
        AtomicLong now = new AtomicLong();
        CostBudget budget = new CostBudget(0.1, now::get);
        train(budget, now, 40);
        budget.spent(PASS, 1.0);
        budget.spent(A, 2.0);
        train(budget, now, 15);
        assertThat(budget.credit()).isCloseTo(2.5, within(1e-12));
        assertThat(budget.refusal(A)).as("the part alone").isNull();
        assertThat(budget.refusal(A, PASS)).contains("took 2.00 s last time, after 1.00 s for the work it needs first");
        assertThat(budget.refusal(OTHER, PASS))
                .as("a new kind, judged by A's first run (1 s), and the pass (1 s)")
                .isNull();
        train(budget, now, 5);
        assertThat(budget.refusal(A, PASS)).isNull();
    }

    /**
     * Work outside the parts (reading the layers, records, logs) is debited too, once, however the calls nest:
     * left out, it kept a run above its share in epochs where every part waited.
     */
    @Test
    void workOutsideThePartsIsDebitedOnce() {
        AtomicLong now = new AtomicLong();
        CostBudget budget = new CostBudget(0.1, now::get);
        train(budget, now, 100);
        budget.charged(() -> {
            now.addAndGet(SECOND); // reading the network
            budget.charged(() -> {
                now.addAndGet(2 * SECOND); // a part's work, debited by the part itself
                budget.spent(A, 2.0);
                now.addAndGet(SECOND); // its record
                return null;
            });
            return null;
        });
        assertThat(budget.credit()).as("10 s earned, 4 s taken").isCloseTo(6.0, within(1e-12));
        budget.charged(() -> {
            now.addAndGet(3 * SECOND);
            budget.spent(A, 4.0); // a part reporting more than the wall time (timed on another clock)
            return null;
        });
        assertThat(budget.credit()).as("never credits back").isCloseTo(2.0, within(1e-12));
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
