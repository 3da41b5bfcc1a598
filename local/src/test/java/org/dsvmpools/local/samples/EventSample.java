package org.dsvmpools.local.samples;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;

/** Test sample: an Event Grid-triggered function that relays each event it gets, and fails on request. */
public final class EventSample {

    @FunctionName("OnEvent")
    public void run(
            @EventGridTrigger(name = "event") String event,
            @QueueOutput(name = "out", queueName = "eventgrid-out") OutputBinding<String> out,
            ExecutionContext context) {
        if (event.contains("please-fail")) {
            throw new IllegalStateException("sample failure");
        }
        out.setValue(event);
    }
}
