package dev.impush.worker.dedupe;

import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import java.util.concurrent.CompletableFuture;

/**
 * The keys and arguments of one script call over a {@link CallGroup}. Its keys are declared (all of
 * one hash slot, the call routed by them), or undeclared: passed after the arguments, the call sent
 * to the group's master alone, none declared. Redis lets a script without a shebang touch keys of any
 * slot its node serves; a key it does not serve (its slot moved, or is being moved and the key is not
 * there) is an error inside the script, which the script catches per delivery. A call routed by a key
 * could instead be redirected (ASK) to a master importing that key's slot, where, flagged
 * {@code ASKING}, it would read and write keys the source still holds. The arguments start with the
 * head, then one more that tells the script which ({@code 1} undeclared, {@code 0} declared), then each
 * delivery's arguments.
 */
final class ScriptCall {
    private static final String[] NO_KEYS = {};
    private final String[] args;
    private final String[] keys;
    private final int firstItemArg;
    private final int argsPerItem;
    private final int keysPerItem;
    private final int keyBase;
    private final String node;

    ScriptCall(CallGroup group, int argsPerItem, int keysPerItem, String... head) {
        int items = group.items().length;
        this.firstItemArg = head.length + 1;
        this.argsPerItem = argsPerItem;
        this.keysPerItem = keysPerItem;
        this.node = group.node();
        int argCount = firstItemArg + items * argsPerItem;
        this.args = new String[argCount + (group.undeclared() ? items * keysPerItem : 0)];
        System.arraycopy(head, 0, args, 0, head.length);
        args[head.length] = group.undeclared() ? "1" : "0";
        this.keys = group.undeclared() ? args : new String[items * keysPerItem];
        this.keyBase = group.undeclared() ? argCount : 0;
    }

    /** Sets argument {@code j} of delivery {@code item}. */
    void arg(int item, int j, String value) {
        args[firstItemArg + item * argsPerItem + j] = value;
    }

    /** Sets key {@code j} of delivery {@code item}. */
    void key(int item, int j, String key) {
        keys[keyBase + item * keysPerItem + j] = key;
    }

    <T> CompletableFuture<T> run(LuaScript script, RedisLink.Session redis, ScriptOutputType type) {
        if (node == null) {
            return script.run(redis.commands(), type, keys, args);
        }
        return redis.node(node).thenCompose(commands -> script.<T>run(commands, type, NO_KEYS, args));
    }
}
