package dev.switchboard.telemetry;

import java.lang.management.GarbageCollectorMXBean;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/** A garbage collector bean for tests that records who listens to it. Per test. */
public final class ListenedCollector implements GarbageCollectorMXBean, NotificationEmitter {
    public final List<NotificationListener> listeners = new ArrayList<>();
    /** Listeners ever added, removed or not. */
    public int added;

    @Override
    public void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
        listeners.add(listener);
        added++;
    }

    @Override
    public void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
        if (!listeners.removeIf(registered -> registered == listener)) {
            throw new ListenerNotFoundException();
        }
    }

    @Override
    public void removeNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback)
            throws ListenerNotFoundException {
        removeNotificationListener(listener);
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return new MBeanNotificationInfo[0];
    }

    @Override
    public long getCollectionCount() {
        return 0;
    }

    @Override
    public long getCollectionTime() {
        return 0;
    }

    @Override
    public String getName() {
        return "test";
    }

    @Override
    public boolean isValid() {
        return true;
    }

    @Override
    public String[] getMemoryPoolNames() {
        return new String[0];
    }

    @Override
    public ObjectName getObjectName() {
        return null;
    }
}
