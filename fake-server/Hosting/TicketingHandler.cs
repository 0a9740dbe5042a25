using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// The client side of the in-process transport: tags each request with a ticket (so the clock
/// waits for requests still on their way in) and makes a dropped connection look like one on a
/// socket — an <see cref="HttpRequestException"/> — whatever exception TestHost raised for it.
/// </summary>
internal sealed class TicketingHandler(RequestTickets tickets, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var ticket = tickets.Issue();
        try
        {
            request.Headers.Remove(RequestTickets.HeaderName);
            request.Headers.TryAddWithoutValidation(RequestTickets.HeaderName, ticket.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not HttpRequestException and not OperationCanceledException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The server dropped the connection.", exception);
        }
        finally
        {
            tickets.Close(ticket);
        }
    }
}
