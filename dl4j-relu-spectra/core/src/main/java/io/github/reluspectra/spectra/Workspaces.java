package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The temporaries of one step of an iterative computation live in an ND4J workspace, reused from step to step:
 * ND4J frees off-heap memory only when the garbage collector runs, which a loop of large temporaries and few Java
 * objects rarely triggers (without it, the ladder of a 256 x 784 layer on 2,000 inputs grew to 14 GB resident
 * and swapped). What outlives a step is allocated with {@link #outside()}. Shared by the iterative algorithms of
 * this library and of the pruning module.
 */
public final class Workspaces {

    private static final WorkspaceConfiguration TEMPORARIES = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private Workspaces() {}

    /** Opens the step's workspace {@code id}: arrays created until it closes are temporaries. */
    public static MemoryWorkspace temporaries(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(TEMPORARIES, id);
    }

    /** Leaves every workspace until closed: arrays created meanwhile outlive the step. */
    public static MemoryWorkspace outside() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }
}
