package io.lakestream.sink;

import io.lakestream.port.ObjectStore;
import io.lakestream.port.ObjectStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An object store in memory with S3's conditional-create semantics ({@code If-None-Match: *}): a second create of
 * the same key writes nothing and reports it. Shared between test drivers to play crashes, rebalances and zombies.
 */
public final class InMemoryObjectStore implements ObjectStore {

    private record StoredObject(byte[] content, Map<String, String> metadata) {
    }

    private final TreeMap<String, StoredObject> objects = new TreeMap<>();
    private final AtomicInteger refusedCreates = new AtomicInteger();

    @Override
    public synchronized boolean createIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        if (objects.containsKey(key)) {
            refusedCreates.incrementAndGet();
            return false;
        }
        objects.put(key, new StoredObject(content.clone(), Map.copyOf(metadata)));
        return true;
    }

    @Override
    public synchronized Optional<Map<String, String>> metadata(String key) {
        return Optional.ofNullable(objects.get(key)).map(StoredObject::metadata);
    }

    @Override
    public synchronized byte[] read(String key) {
        StoredObject object = objects.get(key);
        if (object == null) {
            throw new ObjectStoreException("no object at " + key);
        }
        return object.content().clone();
    }

    @Override
    public synchronized List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String key : objects.tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            keys.add(key);
        }
        return keys;
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    @Override
    public String uri(String key) {
        return "memory://lake/" + key;
    }

    /** How many creates found the key taken (replays and zombies detected). */
    public int refusedCreates() {
        return refusedCreates.get();
    }
}
