package dev.impush.worker.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}). Only when the server does not know it (after
 * a restart or {@code SCRIPT FLUSH}) does the call go again with the whole body ({@code EVAL}, which
 * also caches it there), so no call depends on an earlier {@code SCRIPT LOAD}. A call a Redis
 * Cluster answers {@code TRYAGAIN} (its keys are split by a slot being moved: some already on the
 * new master, or none there yet) goes again every {@value #TRY_AGAIN_MS} ms for at most
 * {@link #TRY_AGAIN_FOR} (its caller may stop waiting sooner): the answer comes when the slot's
 * move ends. Lettuce follows MOVED and ASK itself. Immutable.
 */
public final class LuaScript {
    private static final long TRY_AGAIN_MS = 20;
    private static final Duration TRY_AGAIN_FOR = Duration.ofSeconds(5);
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
        run(redis, type, keys, args, result, System.nanoTime() + TRY_AGAIN_FOR.toNanos());
        return result;
    }

    private <T> void run(RedisScriptingAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
                         String[] args, CompletableFuture<T> result, long tryAgainUntil) {
        redis.<T>evalsha(sha, type, keys, args).whenComplete((value, failure) -> {
            if (unknownScript(failure)) {
                redis.<T>eval(body, type, keys, args).whenComplete((v, f) -> complete(result, v, f));
            } else if (tryAgain(failure) && System.nanoTime() < tryAgainUntil) {
                CompletableFuture.delayedExecutor(TRY_AGAIN_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> run(redis, type, keys, args, result, tryAgainUntil));
            } else {
                complete(result, value, failure);
            }
        });
    }

    private static boolean tryAgain(Throwable failure) {
        Throwable t = cause(failure);
        return t instanceof RedisCommandExecutionException && t.getMessage() != null && t.getMessage().startsWith("TRYAGAIN");
    }

    private static boolean unknownScript(Throwable failure) {
        return cause(failure) instanceof RedisNoScriptException;
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(failure);
        }
    }
}
