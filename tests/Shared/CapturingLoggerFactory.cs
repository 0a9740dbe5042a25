using Microsoft.Extensions.Logging;

namespace Tests.Shared;

/// <summary>Keeps every formatted line and every structured value logged through it, at every level.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            var line = $"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} | {values} | {exception}";
            lock (owner._lines) owner._lines.Add(line);
        }
    }
}
