using TinyFish.FakeServer.Hosting;

return await StandaloneHost.RunAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
