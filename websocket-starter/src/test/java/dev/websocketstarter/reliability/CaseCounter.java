package dev.websocketstarter.reliability;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Counts the cases of a test class by {@link Category}, each parameterized invocation
 * being one case, and prints a table of passed and failed cases after the class ran.
 */
final class CaseCounter implements TestWatcher, AfterAllCallback {

	private static final Map<Class<?>, Map<String, int[]>> counts = new ConcurrentHashMap<>();

	private static final AtomicInteger total = new AtomicInteger();

	@Override
	public void testSuccessful(ExtensionContext context) {
		count(context, 0);
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		count(context, 1);
	}

	@Override
	public void testAborted(ExtensionContext context, Throwable cause) {
		count(context, 2);
	}

	@Override
	public void testDisabled(ExtensionContext context, Optional<String> reason) {
		count(context, 2);
	}

	private void count(ExtensionContext context, int column) {
		Method method = context.getRequiredTestMethod();
		Category category = method.getAnnotation(Category.class);
		String name = (category != null) ? category.value() : "Other";
		Map<String, int[]> byCategory = counts.computeIfAbsent(context.getRequiredTestClass(),
				(type) -> new ConcurrentHashMap<>());
		synchronized (byCategory) {
			byCategory.computeIfAbsent(name, (key) -> new int[3])[column]++;
		}
		total.incrementAndGet();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Map<String, int[]> byCategory = new TreeMap<>(counts.getOrDefault(context.getRequiredTestClass(), Map.of()));
		StringBuilder table = new StringBuilder();
		table.append(System.lineSeparator())
			.append(context.getRequiredTestClass().getSimpleName())
			.append(" cases")
			.append(System.lineSeparator());
		table.append(String.format("%-28s %6s %6s %6s %6s%n", "category", "cases", "passed", "failed", "skipped"));
		int[] sum = new int[3];
		byCategory.forEach((name, row) -> {
			table.append(
					String.format("%-28s %6d %6d %6d %6d%n", name, row[0] + row[1] + row[2], row[0], row[1], row[2]));
			for (int i = 0; i < 3; i++) {
				sum[i] += row[i];
			}
		});
		table.append(
				String.format("%-28s %6d %6d %6d %6d%n", "total", sum[0] + sum[1] + sum[2], sum[0], sum[1], sum[2]));
		table.append("Reliability cases counted so far in this run: ").append(total.get());
		System.out.println(table);
	}

}
