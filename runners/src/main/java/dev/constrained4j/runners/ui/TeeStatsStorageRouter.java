package dev.constrained4j.runners.ui;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

/** Sends every record a {@code StatsListener} produces to several storages (in memory, and a file). */
final class TeeStatsStorageRouter implements StatsStorageRouter {

    private final List<StatsStorageRouter> targets;

    TeeStatsStorageRouter(List<? extends StatsStorageRouter> targets) {
        this.targets = List.copyOf(targets);
    }

    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
        targets.forEach(t -> t.putStorageMetaData(storageMetaData));
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        targets.forEach(t -> t.putStorageMetaData(storageMetaData));
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        targets.forEach(t -> t.putStaticInfo(staticInfo));
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        targets.forEach(t -> t.putStaticInfo(staticInfo));
    }

    @Override
    public void putUpdate(Persistable update) {
        targets.forEach(t -> t.putUpdate(update));
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        targets.forEach(t -> t.putUpdate(updates));
    }
}
