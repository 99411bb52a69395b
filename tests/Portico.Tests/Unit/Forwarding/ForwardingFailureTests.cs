using System.Net.Http;
using Portico.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Tests.Unit.Forwarding;

public sealed class ForwardingFailureTests
{
    /// <summary>
    /// Every value of YARP's enum (the cause by name: the enum is internal), so a value a new YARP
    /// version adds fails here until it is classified.
    /// </summary>
    public static TheoryData<ForwarderError, string> Causes => new()
    {
        { ForwarderError.None, nameof(ForwardingFailureCause.None) },
        { ForwarderError.Request, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.RequestTimedOut, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.RequestCanceled, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.RequestBodyCanceled, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.RequestBodyClient, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.RequestBodyDestination, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.ResponseHeaders, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.ResponseBodyCanceled, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.ResponseBodyClient, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.ResponseBodyDestination, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.UpgradeRequestCanceled, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.UpgradeRequestClient, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.UpgradeRequestDestination, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.UpgradeResponseCanceled, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.UpgradeResponseClient, nameof(ForwardingFailureCause.Client) },
        { ForwarderError.UpgradeResponseDestination, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.NoAvailableDestinations, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.RequestCreation, nameof(ForwardingFailureCause.Engine) },
        { ForwarderError.UpgradeActivityTimeout, nameof(ForwardingFailureCause.Client) },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void CauseOf_EachForwarderError_IsTheSideThatFailed(ForwarderError error, string expected)
    {
        Assert.Equal(expected, ForwardingFailure.CauseOf(error).ToString());
    }

    [Fact]
    public void Causes_CoverEveryForwarderErrorOfThisYarpVersion()
    {
        var classified = Causes.Select(row => (ForwarderError)row[0]).ToHashSet();

        Assert.DoesNotContain(Enum.GetValues<ForwarderError>(), error => !classified.Contains(error));
    }

    [Fact]
    public void Describe_AggregateOfRequestBodyFailure_NamesTheFirstInnerException()
    {
        var aggregate = new AggregateException(new AggregateException(new BadHttpRequestException("Bad chunk size data.")), new IOException());

        Assert.Equal(nameof(BadHttpRequestException), ForwardingFailure.Describe(aggregate));
    }

    [Fact]
    public void Describe_PlainException_IsItsTypeNameOnly()
    {
        var exception = new HttpRequestException("Connection refused (127.0.0.1:4747)");

        Assert.Equal(nameof(HttpRequestException), ForwardingFailure.Describe(exception));
        Assert.Null(ForwardingFailure.Describe(null));
    }
}
