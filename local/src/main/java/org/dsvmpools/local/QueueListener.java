package org.dsvmpools.local;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Polls the queues of queue-triggered functions with host.json's {@code extensions.queues} semantics: batches
 * of {@code batchSize}, a failed message made visible again after {@code visibilityTimeout} and moved to
 * {@code <queue>-poison} once dequeued {@code maxDequeueCount} times, idle polling backing off up to
 * {@code maxPollingInterval}. Also writes {@code @QueueOutput} values.
 */
final class QueueListener {
    private static final Duration MIN_POLL = Duration.ofMillis(100);

    private final HostJson.Queues options;
    private final Invoker invoker;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private final QueueClients queues;

    QueueListener(HostJson.Queues options, Invoker invoker, QueueClients queues) {
        this.options = options;
        this.invoker = invoker;
        this.queues = queues;
    }

    void start(List<FunctionDefinition> functions) {
        for (FunctionDefinition function : functions) {
            if (function.trigger() instanceof FunctionDefinition.QueueTriggerDef queue) {
                QueueClient client = queues.client(queue.connection(), queue.queueName());
                Thread thread = new Thread(() -> poll(function, client), "queue-" + queue.queueName());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
    }

    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    private void poll(FunctionDefinition function, QueueClient queue) {
        ExecutorService workers = Executors.newFixedThreadPool(options.batchSize());
        Duration delay = MIN_POLL;
        boolean queueExists = false;
        while (running) {
            try {
                if (!queueExists) {
                    // Here rather than at start-up: storage may still be starting when the host is.
                    queue.createIfNotExists();
                    queueExists = true;
                }
                List<QueueMessageItem> batch = new ArrayList<>();
                queue.receiveMessages(options.batchSize(), options.visibilityTimeout().plusMinutes(10), null, null)
                        .forEach(batch::add);
                if (batch.isEmpty()) {
                    Thread.sleep(delay.toMillis());
                    delay = delay.multipliedBy(2).compareTo(options.maxPollingInterval()) > 0
                            ? options.maxPollingInterval() : delay.multipliedBy(2);
                    continue;
                }
                delay = MIN_POLL;
                List<Future<?>> running = new ArrayList<>();
                for (QueueMessageItem message : batch) {
                    running.add(workers.submit(() -> process(function, queue, message)));
                }
                for (Future<?> done : running) {
                    done.get();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                return;
            } catch (Exception e) {
                System.err.println("local host: polling " + queue.getQueueName() + " failed: " + e);
                sleepQuietly(options.maxPollingInterval());
            }
        }
        workers.shutdownNow();
    }

    private void process(FunctionDefinition function, QueueClient queue, QueueMessageItem message) {
        Map<String, Object> bindingData = new LinkedHashMap<>();
        bindingData.put("id", message.getMessageId());
        bindingData.put("dequeueCount", message.getDequeueCount());
        bindingData.put("insertionTime", message.getInsertionTime());
        bindingData.put("expirationTime", message.getExpirationTime());
        bindingData.put("popReceipt", message.getPopReceipt());
        try {
            invoker.invoke(function, message.getBody().toString(), bindingData);
            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
        } catch (Exception e) {
            System.err.println("local host: " + function.name() + " failed on message " + message.getMessageId()
                    + " (dequeue " + message.getDequeueCount() + "): " + e);
            if (message.getDequeueCount() >= options.maxDequeueCount()) {
                queues.send(connectionOf(function), queue.getQueueName() + "-poison", message.getBody().toString());
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            } else {
                queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null,
                        options.visibilityTimeout());
            }
        }
    }

    private static String connectionOf(FunctionDefinition function) {
        return ((FunctionDefinition.QueueTriggerDef) function.trigger()).connection();
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
