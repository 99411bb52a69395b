using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Portico.Configuration;
using Portico.Forwarding;
using Portico.VirtualProxies;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Tests.Unit.Forwarding;

public sealed class ForwardingConfigBuilderTests
{
    private static readonly PorticoConfig ValidConfig = new()
    {
        LoadBalancing = new LoadBalancingConfig { HealthCheckIntervalSeconds = 7, HealthCheckTimeoutSeconds = 3, ReactivationPeriodSeconds = 20 },
        VirtualProxies =
        [
            new VirtualProxyConfig
            {
                Prefix = "",
                SessionCookieHeaderName = "X-Qlik-Session",
                LoadBalancingServerNodes = ["http://engine1:4747", "http://engine2:4747"],
            },
            new VirtualProxyConfig
            {
                Prefix = "sales",
                SessionCookieHeaderName = "X-Qlik-Session-sales",
                SessionCookieDomain = "example.com",
                SameSiteAttributeHttps = CookieSameSite.None,
                HasSecureAttributeHttps = true,
                LoadBalancingServerNodes = ["https://sales-engine:4747"],
            },
            new VirtualProxyConfig
            {
                Prefix = "lab",
                SessionCookieHeaderName = "X-Qlik-Session-lab",
                SameSiteAttributeHttps = CookieSameSite.Strict,
                HasSecureAttributeHttps = false,
                LoadBalancingServerNodes = ["http://lab-engine:4747"],
            },
        ],
    };

    private readonly IReadOnlyList<RouteConfig> _routes;
    private readonly IReadOnlyList<ClusterConfig> _clusters;

    public ForwardingConfigBuilderTests()
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), "portico-unit");
        Assert.Empty(new ConfigValidator(baseDirectory).Validate(ValidConfig));
        (_routes, _clusters) = ForwardingConfigBuilder.Build(ConfigSnapshot.Create(ValidConfig, baseDirectory, 1));
    }

    [Fact]
    public void Build_ThreeVirtualProxies_OneRouteAndOneClusterEachWithMatchingIds()
    {
        Assert.Equal(["vp:(default)", "vp:sales", "vp:lab"], _routes.Select(r => r.RouteId));
        Assert.Equal(["vp:(default)", "vp:sales", "vp:lab"], _clusters.Select(c => c.ClusterId));
        Assert.All(_routes, r => Assert.Equal(r.RouteId, r.ClusterId));
    }

    [Fact]
    public void Build_Routes_HaveUniqueParseableMatchPaths()
    {
        var paths = _routes.Select(r => r.Match.Path!).ToArray();

        Assert.Equal(paths.Length, paths.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(paths, p => RoutePatternFactory.Parse(p));
    }

    [Fact]
    public void Build_Destinations_AreTheConfiguredNodesInOrder()
    {
        Assert.Equal(["http://engine1:4747", "http://engine2:4747"], Cluster("vp:(default)").Destinations!.Values.Select(d => d.Address));
        Assert.Equal(["https://sales-engine:4747"], Cluster("vp:sales").Destinations!.Values.Select(d => d.Address));
        Assert.Equal(["http://lab-engine:4747"], Cluster("vp:lab").Destinations!.Values.Select(d => d.Address));
    }

    [Fact]
    public void Build_HealthChecks_ActiveOnHealthcheckPathForEveryCluster()
    {
        Assert.All(_clusters, cluster =>
        {
            var active = cluster.HealthCheck!.Active!;
            Assert.True(active.Enabled);
            Assert.Equal("/healthcheck", active.Path);
            Assert.Equal(TimeSpan.FromSeconds(7), active.Interval);
            Assert.Equal(TimeSpan.FromSeconds(3), active.Timeout);
            Assert.Equal(Portico.Forwarding.EngineHealthPolicy.PolicyName, active.Policy);
        });
    }

    [Fact]
    public void Build_SeveralNodes_PassiveHealthChecksTakeAFailingNodeOutForTheReactivationPeriod()
    {
        var passive = Cluster("vp:(default)").HealthCheck!.Passive!;
        Assert.True(passive.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(20), passive.ReactivationPeriod);
    }

    [Fact]
    public void Build_SeveralNodes_SessionAffinityKeepsTheNodeInThePorticoSessionAndRedistributes()
    {
        var affinity = Cluster("vp:(default)").SessionAffinity!;
        Assert.True(affinity.Enabled);
        Assert.Equal(Portico.Forwarding.SessionAffinityPolicy.PolicyName, affinity.Policy);
        Assert.NotEqual("HashCookie", affinity.Policy);
        Assert.Null(affinity.Cookie);
        Assert.Equal("Redistribute", affinity.FailurePolicy);
    }

    [Theory]
    [InlineData("vp:sales")]
    [InlineData("vp:lab")]
    public void Build_OneNode_NoAffinityAndNoPassiveHealthCheck_ThereIsNothingToChooseBetween(string clusterId)
    {
        var cluster = Cluster(clusterId);
        Assert.Null(cluster.SessionAffinity);
        Assert.Null(cluster.HealthCheck!.Passive);
        Assert.True(cluster.HealthCheck.Active!.Enabled);
    }

    [Fact]
    public void Build_EngineRequests_UseHttp11()
    {
        Assert.All(_clusters, cluster => Assert.Equal(System.Net.HttpVersion.Version11, cluster.HttpRequest!.Version));
    }

    [Fact]
    public void Forwarding_DoubleEncodedDotSegment_ReachesEngineStillEncodedNotAsDotDot()
    {
        // The normalized path is decoded once; the forwarder must re-encode its literal '%' so the
        // engine never decodes a second time into "..".
        var normalized = RequestPathNormalizer.Normalize("/sales/%252e%252e/hr/x").Path!;
        var table = ConfigSnapshot.Create(ValidConfig, Path.GetTempPath(), 1).VirtualProxies;
        var selection = table.Select(normalized)!.Value;

        var destination = RequestUtilities.MakeDestinationAddress("https://sales-engine:4747/", new PathString(selection.RemainingPath), QueryString.Empty);

        Assert.Equal("vp:sales", selection.VirtualProxy.RouteId);
        Assert.Equal("https://sales-engine:4747/%252e%252e/hr/x", destination.OriginalString);
    }

    [Theory]
    [InlineData("/sales/a%3Fb", "/a%3Fb")]
    [InlineData("/sales/a%23b", "/a%23b")]
    [InlineData("/sales/a%20b", "/a%20b")]
    [InlineData("/sales/%25", "/%25")]
    [InlineData("/sales/%C3%A9", "/%C3%A9")]
    public void Forwarding_DecodedDelimiters_AreReEncodedForTheEngine(string raw, string enginePath)
    {
        // A decoded '?', '#' or '%' must not turn into a query, fragment or escape at the engine.
        var normalized = RequestPathNormalizer.Normalize(raw).Path!;
        var selection = ConfigSnapshot.Create(ValidConfig, Path.GetTempPath(), 1).VirtualProxies.Select(normalized)!.Value;

        var destination = RequestUtilities.MakeDestinationAddress("https://sales-engine:4747/", new PathString(selection.RemainingPath), QueryString.Empty);

        Assert.Equal("https://sales-engine:4747" + enginePath, destination.OriginalString);
    }

    private ClusterConfig Cluster(string id) => Assert.Single(_clusters, c => c.ClusterId == id);
}
