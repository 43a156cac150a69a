package dev.impush.worker.dedupe;

import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;

/**
 * The keys and arguments of one script call over a group of deliveries. Its keys are declared (all
 * of one hash slot), or undeclared: passed after the arguments, only the first declared, which
 * routes the call to the master that serves it; Redis lets a script without a shebang touch keys of
 * any slot its node serves. The arguments start with the head, then one more that tells the script
 * which ({@code 1} undeclared, {@code 0} declared), then each delivery's arguments.
 */
final class ScriptCall {
    private final String[] args;
    private final String[] keys;
    private final int firstItemArg;
    private final int argsPerItem;
    private final int keysPerItem;
    private final int keyBase;
    private final boolean undeclared;

    ScriptCall(int items, boolean undeclared, int argsPerItem, int keysPerItem, String... head) {
        this.firstItemArg = head.length + 1;
        this.argsPerItem = argsPerItem;
        this.keysPerItem = keysPerItem;
        this.undeclared = undeclared;
        int argCount = firstItemArg + items * argsPerItem;
        this.args = new String[argCount + (undeclared ? items * keysPerItem : 0)];
        System.arraycopy(head, 0, args, 0, head.length);
        args[head.length] = undeclared ? "1" : "0";
        this.keys = undeclared ? args : new String[items * keysPerItem];
        this.keyBase = undeclared ? argCount : 0;
    }

    /** Sets argument {@code j} of delivery {@code item}. */
    void arg(int item, int j, String value) {
        args[firstItemArg + item * argsPerItem + j] = value;
    }

    /** Sets key {@code j} of delivery {@code item}. */
    void key(int item, int j, String key) {
        keys[keyBase + item * keysPerItem + j] = key;
    }

    <T> CompletableFuture<T> run(LuaScript script, RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type) {
        return script.run(redis, type, undeclared ? new String[] {keys[keyBase]} : keys, args);
    }
}
