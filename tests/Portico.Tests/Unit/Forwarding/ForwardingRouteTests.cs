using Portico.Forwarding;
using Yarp.ReverseProxy.Model;

namespace Portico.Tests.Unit.Forwarding;

public sealed class ForwardingRouteTests
{
    private static readonly DestinationState NodeA = new("node-a");
    private static readonly DestinationState NodeB = new("node-b");

    [Fact]
    public void OneNode_IsForwardedToDirectly()
    {
        Assert.Same(NodeA, ForwardingRoute.SoleAvailable([NodeA], [NodeA]));
    }

    [Fact]
    public void OneNodeTheHealthPolicyDoesNotOffer_GoesThroughThePipeline()
    {
        // With a policy that drops unhealthy nodes, the pipeline answers 503 "no healthy node".
        Assert.Null(ForwardingRoute.SoleAvailable([NodeA], []));
    }

    [Fact]
    public void SeveralNodes_GoThroughThePipeline_EvenWithOneLeftHealthy()
    {
        // Load balancing and affinity decide, and affinity must move to the survivor.
        Assert.Null(ForwardingRoute.SoleAvailable([NodeA, NodeB], [NodeA, NodeB]));
        Assert.Null(ForwardingRoute.SoleAvailable([NodeA, NodeB], [NodeB]));
    }

    [Fact]
    public void NoNodes_GoThroughThePipeline()
    {
        Assert.Null(ForwardingRoute.SoleAvailable([], []));
    }
}
