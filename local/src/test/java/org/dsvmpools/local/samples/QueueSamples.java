package org.dsvmpools.local.samples;

import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** Test samples: a queue trigger that fails on demand, and a slow timer; both report through a queue output. */
public final class QueueSamples {

    @FunctionName("Relay")
    public void relay(
            @QueueTrigger(name = "message", queueName = "%SAMPLE_QUEUE%") String message,
            @BindingName("dequeueCount") long dequeueCount,
            @BindingName("id") String id,
            @QueueOutput(name = "out", queueName = "sample-out") OutputBinding<String> out) {
        if (message.startsWith("fail")) {
            throw new IllegalStateException("sample failure on " + message);
        }
        out.setValue(message + "|" + dequeueCount + "|" + (id != null && !id.isEmpty()));
    }

    @FunctionName("Tick")
    public void tick(
            @TimerTrigger(name = "timer", schedule = "%SAMPLE_SCHEDULE%") String timerInfo,
            @QueueOutput(name = "out", queueName = "timer-out") OutputBinding<String> out) throws InterruptedException {
        long start = System.currentTimeMillis();
        Thread.sleep(1_500);
        out.setValue(start + "|" + System.currentTimeMillis() + "|" + timerInfo);
    }
}
