using Portico.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Tests.Unit.Logging;

public sealed class SocketCloserDecisionTests
{
    [Theory]
    [InlineData((int)CloseFrameDirection.FromClient, false, ForwarderError.None, false, (int)SocketCloser.Client)]
    [InlineData((int)CloseFrameDirection.FromClient, true, ForwarderError.None, false, (int)SocketCloser.Client)]
    [InlineData((int)CloseFrameDirection.ToClient, true, ForwarderError.None, false, (int)SocketCloser.Portico)]
    [InlineData((int)CloseFrameDirection.None, true, ForwarderError.None, true, (int)SocketCloser.Portico)]
    [InlineData((int)CloseFrameDirection.ToClient, false, ForwarderError.None, false, (int)SocketCloser.Engine)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.UpgradeActivityTimeout, false, (int)SocketCloser.IdleTimeout)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.UpgradeRequestClient, true, (int)SocketCloser.ClientLost)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.UpgradeResponseClient, false, (int)SocketCloser.ClientLost)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.UpgradeRequestDestination, false, (int)SocketCloser.EngineLost)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.UpgradeResponseDestination, false, (int)SocketCloser.EngineLost)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.None, true, (int)SocketCloser.ClientLost)]
    [InlineData((int)CloseFrameDirection.None, false, ForwarderError.None, false, (int)SocketCloser.NoCloseFrame)]
    public void Decide_Table(int firstClose, bool closedByPortico, ForwarderError error, bool clientAborted, int expected)
    {
        Assert.Equal((SocketCloser)expected, SocketCloserDecision.Decide((CloseFrameDirection)firstClose, closedByPortico, error, clientAborted));
    }
}
