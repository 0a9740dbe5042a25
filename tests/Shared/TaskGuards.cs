namespace Tests.Shared;

public static class TaskGuards
{
    /// <summary>
    /// Awaits a task the test has already made able to finish; the real-time bound only turns a bug
    /// (a hang) into a failure instead of a stuck run. No test waits on it for behaviour.
    /// </summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(20));

    /// <inheritdoc cref="Within{T}(Task{T})"/>
    public static Task Within(this Task task) => task.WaitAsync(TimeSpan.FromSeconds(20));
}
