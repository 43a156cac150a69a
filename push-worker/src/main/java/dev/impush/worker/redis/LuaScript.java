package dev.impush.worker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}). Only when the server does not know it (after
 * a restart or {@code SCRIPT FLUSH}) does the call go again with the whole body ({@code EVAL}, which
 * also caches it there), so no call depends on an earlier {@code SCRIPT LOAD}. Immutable.
 */
public final class LuaScript {
    private final String body;
    private final String sha;

    private LuaScript(String body) {
        this.body = body;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /** The script in the resource {@code name} next to {@code owner}. */
    public static LuaScript load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing script " + name, e);
        }
    }

    /** Runs the script; thread-safe as {@code redis} is. */
    public <T> CompletableFuture<T> run(RedisScriptingAsyncCommands<String, String> redis, ScriptOutputType type,
                                        String[] keys, String... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        redis.<T>evalsha(sha, type, keys, args).whenComplete((value, failure) -> {
            if (unknownScript(failure)) {
                redis.<T>eval(body, type, keys, args).whenComplete((v, f) -> complete(result, v, f));
            } else {
                complete(result, value, failure);
            }
        });
        return result;
    }

    private static boolean unknownScript(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof RedisNoScriptException;
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(failure);
        }
    }
}
