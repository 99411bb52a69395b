using System.Net;
using System.Net.Http;
using Portico.Forwarding;
using Yarp.ReverseProxy.Model;

namespace Portico.Tests.Unit.Forwarding;

public sealed class EngineHealthTransitionTests
{
    private const double Threshold = 2;

    // The change is named: its enum is internal.
    [Theory]
    // A success makes a node healthy at once; only a change is reported.
    [InlineData(DestinationHealth.Unknown, true, 0, DestinationHealth.Healthy, nameof(EngineHealthChange.Up))]
    [InlineData(DestinationHealth.Healthy, true, 0, DestinationHealth.Healthy, nameof(EngineHealthChange.None))]
    [InlineData(DestinationHealth.Unhealthy, true, 0, DestinationHealth.Healthy, nameof(EngineHealthChange.BackUp))]
    // Failures below the threshold leave the node as it was: a first start's first failed probe reports nothing.
    [InlineData(DestinationHealth.Unknown, false, 1, DestinationHealth.Unknown, nameof(EngineHealthChange.None))]
    [InlineData(DestinationHealth.Healthy, false, 1, DestinationHealth.Healthy, nameof(EngineHealthChange.None))]
    // Reaching the threshold makes it unhealthy, reported once; further failures report nothing.
    [InlineData(DestinationHealth.Healthy, false, 2, DestinationHealth.Unhealthy, nameof(EngineHealthChange.Down))]
    [InlineData(DestinationHealth.Unknown, false, 2, DestinationHealth.Unhealthy, nameof(EngineHealthChange.Down))]
    [InlineData(DestinationHealth.Unhealthy, false, 3, DestinationHealth.Unhealthy, nameof(EngineHealthChange.None))]
    [InlineData(DestinationHealth.Unhealthy, false, 1000, DestinationHealth.Unhealthy, nameof(EngineHealthChange.None))]
    public void Decide_ProbeResult_FollowsConsecutiveFailuresAndReportsChangesOnly(
        DestinationHealth previous, bool succeeded, long failures, DestinationHealth expectedNext, string expectedChange)
    {
        var (next, change) = EngineHealthTransition.Decide(previous, succeeded, failures, Threshold);

        Assert.Equal(expectedNext, next);
        Assert.Equal(expectedChange, change.ToString());
    }

    [Fact]
    public void Decide_NodeGoesDownForManyProbesAndComesBack_ReportsOneDownAndOneBackUp()
    {
        var health = DestinationHealth.Healthy;
        var changes = new List<EngineHealthChange>();
        long failures = 0;
        foreach (var succeeded in new[] { true, false, false, false, false, false, true, true })
        {
            failures = succeeded ? 0 : failures + 1;
            (health, var change) = EngineHealthTransition.Decide(health, succeeded, failures, Threshold);
            changes.Add(change);
        }

        Assert.Equal([EngineHealthChange.Down, EngineHealthChange.BackUp], changes.Where(c => c != EngineHealthChange.None));
        Assert.Equal(DestinationHealth.Healthy, health);
    }

    [Fact]
    public void Decide_FractionalThresholdFromMetadata_ComparesAsYarpDoes()
    {
        Assert.Equal(DestinationHealth.Unhealthy, EngineHealthTransition.Decide(DestinationHealth.Healthy, false, 2, 1.5).Next);
        Assert.Equal(DestinationHealth.Healthy, EngineHealthTransition.Decide(DestinationHealth.Healthy, false, 1, 1.5).Next);
    }

    [Fact]
    public void FailureReason_EngineAnsweredWithAnError_NamesTheStatus()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal("/healthcheck answered 503", EngineHealthTransition.FailureReason(response, null));
    }

    [Fact]
    public void FailureReason_ConnectionRefused_IsTheFirstLineOfTheMessage()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:4747)\n   at somewhere");

        Assert.Equal("Connection refused (127.0.0.1:4747)", EngineHealthTransition.FailureReason(null, refused));
    }

    [Fact]
    public void FailureReason_Timeout_SaysSo()
    {
        Assert.Equal("no answer within the health check timeout", EngineHealthTransition.FailureReason(null, new TaskCanceledException()));
    }

    [Fact]
    public void FailureReason_OtherException_IsItsTypeNameOnly()
    {
        Assert.Equal(nameof(InvalidOperationException), EngineHealthTransition.FailureReason(null, new InvalidOperationException("long text")));
    }
}
