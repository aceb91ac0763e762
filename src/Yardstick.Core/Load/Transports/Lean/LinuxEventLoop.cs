using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// One epoll set with a timer (<c>timerfd</c>, CLOCK_MONOTONIC, absolute) and a wake-up (<c>eventfd</c>) in it, plus
/// the raw socket calls the paced loop makes on the file descriptors it owns. A second, quiet set holds only the timer
/// and the wake-up: <see cref="SleepQuiet"/> sleeps on it, so sockets becoming readable do not end the sleep; the
/// reads after it take the kernel's receive time (<see cref="ReceiveStamped"/>), so nothing measured depends on when
/// the loop read. Linux only, x64 and arm64 (the two
/// layouts of <c>struct epoll_event</c>); <see cref="TryCreate"/> answers null anywhere else or when a call fails, and
/// the caller keeps the portable path. Used from one thread, except <see cref="Wake"/>.
/// </summary>
internal sealed partial class LinuxEventLoop : IDisposable
{
    /// <summary>Event id of the timer.</summary>
    public const ulong TimerId = ulong.MaxValue;

    /// <summary>Event id of the wake-up descriptor.</summary>
    public const ulong WakeId = ulong.MaxValue - 1;

    /// <summary>What an event not taken yet becomes when its socket is removed (<see cref="Remove"/>): <see cref="TryTake"/> skips it.</summary>
    private const ulong RemovedId = ulong.MaxValue - 2;

    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;

    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int EpollCtlMod = 3;
    private const int CloExec = 0x80000;
    private const int NonBlock = 0x800;
    private const int ClockMonotonic = 1;
    private const int TimerAbstime = 1;
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const int SolSocket = 1;
    private const int SoError = 4;
    private const int PrSetTimerSlack = 29;
    private const int ClockRealtime = 0;

    /// <summary><c>SO_TIMESTAMPNS</c> (<c>SO_TIMESTAMPNS_OLD</c>, the same number on x64 and arm64); also its <c>SCM_</c> type.</summary>
    private const int SoTimestampNs = 35;
    private const int MaxEvents = 256;
    private const int Enosys = 38;

    /// <summary>Longest single wait (the callers come back to check cancellation and deadlines anyway).</summary>
    private const long MaxWaitNanoseconds = 1_000_000_000;

    /// <summary>How far apart two monotonic readings around a real-time one may be (20 µs; a clock read takes ~30 ns).</summary>
    private const long ClockPairSlackTicks = 20_000;

    // x64 packs struct epoll_event to 12 bytes (data at offset 4); arm64 aligns it to 16 (data at offset 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epoll;
    private readonly int _quiet;
    private readonly int _timer;
    private readonly int _wake;
    private readonly byte[] _events = GC.AllocateUninitializedArray<byte>(MaxEvents * 16, pinned: true);
    private readonly long _monotonicOffset;
    private long _armedFor = long.MinValue;
    private int _reported;
    private int _taken;
    private bool _pwait2;
    private int _disposed;

    private Socket? _stampKeeper;

    private LinuxEventLoop(int epoll, int quiet, int timer, int wake, long monotonicOffset, bool pwait2)
    {
        _pwait2 = pwait2;
        _epoll = epoll;
        _quiet = quiet;
        _timer = timer;
        _wake = wake;
        _monotonicOffset = monotonicOffset;
    }

    /// <summary>Whether waits use <c>epoll_pwait2</c>'s timeout (false: the timerfd).</summary>
    public bool UsesPwait2 => _pwait2;

    /// <summary>
    /// Sockets that must be served the moment they are ready (connecting, handshaking, a send the socket buffer held
    /// back): while any is, the loop does not sleep quietly. Kept by the connections, on the loop's thread.
    /// </summary>
    public int UrgentSockets { get; set; }

    /// <summary>Events the last <see cref="Wait"/> or <see cref="Poll"/> reported that <see cref="TryTake"/> has not handed out yet.</summary>
    public int Unserved => _reported - _taken;

    /// <summary>
    /// Socket events (not the timer's nor the wake-up's) that waits have reported so far: about one a response when
    /// each event is served once (the bench and the tests read it; a loop that asks again for what it left unserved
    /// would see it grow with the number of ready sockets).
    /// </summary>
    public long SocketEvents { get; private set; }

    /// <summary>Whether this platform can have the loop at all (before trying to create one).</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
        && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>A new loop, or null when the platform or the kernel refuses one (the caller keeps its portable path).</summary>
    /// <param name="timerfdOnly">Wait with the timerfd even where <c>epoll_pwait2</c> exists (tests, comparisons).</param>
    public static LinuxEventLoop? TryCreate(bool timerfdOnly = false)
    {
        if (!IsSupported)
        {
            return null;
        }

        int epoll = -1, quiet = -1, timer = -1, wake = -1;
        try
        {
            epoll = EpollCreate1(CloExec);
            quiet = EpollCreate1(CloExec);
            timer = TimerfdCreate(ClockMonotonic, CloExec | NonBlock);
            wake = EventfdCreate(0, CloExec | NonBlock);
            if (epoll < 0 || quiet < 0 || timer < 0 || wake < 0)
            {
                throw new IOException("epoll/timerfd/eventfd refused");
            }

            // Stopwatch reads CLOCK_MONOTONIC in nanoseconds on Linux; the offset is measured rather than assumed zero.
            ClockGettime(ClockMonotonic, out var now);
            var monotonic = (now.Seconds * 1_000_000_000) + now.Nanoseconds;
            var loop = new LinuxEventLoop(epoll, quiet, timer, wake, monotonic - Stopwatch.GetTimestamp(), !timerfdOnly);
            if (!loop.Control(EpollCtlAdd, timer, TimerId, EpollIn) || !loop.Control(EpollCtlAdd, wake, WakeId, EpollIn)
                || !Control(quiet, EpollCtlAdd, timer, TimerId, EpollIn) || !Control(quiet, EpollCtlAdd, wake, WakeId, EpollIn))
            {
                loop.Dispose();
                return null;
            }

            // Best effort, for the epoll_wait timeout only (timerfd has no slack).
            _ = Prctl(PrSetTimerSlack, 1_000, 0, 0, 0);
            return loop;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException)
        {
            foreach (var fd in (ReadOnlySpan<int>)[epoll, quiet, timer, wake])
            {
                if (fd >= 0)
                {
                    _ = Close(fd);
                }
            }

            return null;
        }
    }

    /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/> (level-triggered), reported with <paramref name="id"/>.</summary>
    public void Add(int fd, ulong id, uint events) => Check(Control(EpollCtlAdd, fd, id, events), "epoll_ctl(ADD)");

    public void Modify(int fd, ulong id, uint events) => Check(Control(EpollCtlMod, fd, id, events), "epoll_ctl(MOD)");

    /// <summary>
    /// Stops watching <paramref name="fd"/> (before it is closed; a descriptor already gone is fine) and drops what the
    /// last wait reported for it under <paramref name="id"/> and was not taken yet: the id may get a new socket before
    /// <see cref="TryTake"/> reaches that event, which must not be read as the new socket's.
    /// </summary>
    public void Remove(int fd, ulong id)
    {
        Control(EpollCtlDel, fd, 0, 0);
        for (var i = _taken; i < _reported; i++)
        {
            if (EventId(i) == id)
            {
                MemoryMarshal.Write(_events.AsSpan((i * EventSize) + DataOffset, 8), RemovedId);
            }
        }
    }

    /// <summary>
    /// The next event the last wait reported, in the kernel's order, each handed out once. The caller may stop part-way
    /// (something fell due) and take the rest later, before waiting again: asking epoll again would report those
    /// level-triggered sockets anew, re-polling every one of them each time.
    /// </summary>
    public bool TryTake(out ulong id, out uint flags)
    {
        while (_taken < _reported)
        {
            var index = _taken++;
            id = EventId(index);
            if (id != RemovedId)
            {
                flags = EventFlags(index);
                return true;
            }
        }

        id = 0;
        flags = 0;
        return false;
    }

    /// <summary>
    /// Waits until <paramref name="untilTicks"/> (Stopwatch ticks) at the latest for events and returns how many arrived
    /// (read them with <see cref="EventId"/>/<see cref="EventFlags"/>); the timer's and the wake-up's are drained here.
    /// With <c>epoll_pwait2</c> (Linux 5.11, glibc 2.35) the deadline is its nanosecond timeout: no timer to re-arm;
    /// otherwise the <c>timerfd</c> is armed at the deadline (a <c>timerfd_settime</c> whenever it moves).
    /// </summary>
    public int Wait(long untilTicks) => Collect(Sleep(_epoll, untilTicks));

    /// <summary>What the sockets (and the timer, and the wake-up) report now, without waiting; read as <see cref="Wait"/>'s.</summary>
    public int Poll()
    {
        var count = EpollWait(_epoll, ref MemoryMarshal.GetArrayDataReference(_events), MaxEvents, 0);
        if (count < 0)
        {
            Check(Marshal.GetLastPInvokeError() == Eintr, "epoll_wait");
        }

        return Collect(count);
    }

    /// <summary>
    /// Sleeps until <paramref name="untilTicks"/> or a <see cref="Wake"/>, whatever the sockets do meanwhile (a quiet
    /// set that holds only the timer and the wake-up): for short sleeps between paced arrivals, so responses are read
    /// at the next <see cref="Poll"/> instead of each waking the loop (<see cref="ReceiveStamped"/> gives their kernel
    /// receive time). The timer's and the wake-up's events are left for the next <see cref="Poll"/> or
    /// <see cref="Wait"/> to report.
    /// </summary>
    public void SleepQuiet(long untilTicks) => _ = Sleep(_quiet, untilTicks);

    /// <summary>One wait on <paramref name="epoll"/> until <paramref name="untilTicks"/>: the count of events, or -1 (interrupted, or no <c>epoll_pwait2</c>).</summary>
    private int Sleep(int epoll, long untilTicks)
    {
        // The wait writes over the events buffer: what was not taken is dropped (level-triggered, it is reported again).
        _reported = 0;
        _taken = 0;
        int count;
        if (_pwait2)
        {
            var ns = Math.Clamp(untilTicks - Stopwatch.GetTimestamp(), 0, MaxWaitNanoseconds);
            var timeout = new Timespec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
            try
            {
                count = EpollPwait2(epoll, ref MemoryMarshal.GetArrayDataReference(_events), MaxEvents, in timeout, IntPtr.Zero);
            }
            catch (EntryPointNotFoundException)
            {
                count = -1;
                Marshal.SetLastPInvokeError(Enosys);
            }

            if (count < 0 && Marshal.GetLastPInvokeError() == Enosys)
            {
                // An older libc or kernel: the timerfd from now on.
                _pwait2 = false;
                return -1;
            }
        }
        else
        {
            ArmTimer(untilTicks);
            count = EpollWait(epoll, ref MemoryMarshal.GetArrayDataReference(_events), MaxEvents, (int)MaxWaitNanoseconds / 1_000_000);
        }

        if (count < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Check(errno == Eintr, "epoll_wait");
            return -1;
        }

        return count;
    }

    /// <summary>What a wait on the main set reported (-1: nothing), with the timer's and the wake-up's events drained.</summary>
    private int Collect(int count)
    {
        _reported = Math.Max(count, 0);
        _taken = 0;
        for (var i = 0; i < count; i++)
        {
            var id = EventId(i);
            if (id is not (TimerId or WakeId))
            {
                SocketEvents++;
            }
            else
            {
                ulong value = 0;
                _ = Read(id == TimerId ? _timer : _wake, ref value, 8);
                if (id == TimerId)
                {
                    _armedFor = long.MinValue;
                }
            }
        }

        return _reported;
    }

    /// <summary>Arms the timer to fire at <paramref name="dueTicks"/>; nothing when already armed for it and not yet fired.</summary>
    private void ArmTimer(long dueTicks)
    {
        if (dueTicks == _armedFor)
        {
            return;
        }

        var ns = Math.Max(1, dueTicks + _monotonicOffset);
        var spec = new Itimerspec { ValueSeconds = ns / 1_000_000_000, ValueNanoseconds = ns % 1_000_000_000 };
        Check(TimerfdSettime(_timer, TimerAbstime, in spec, IntPtr.Zero) == 0, "timerfd_settime");
        _armedFor = dueTicks;
    }

    public ulong EventId(int index) => MemoryMarshal.Read<ulong>(_events.AsSpan((index * EventSize) + DataOffset, 8));

    public uint EventFlags(int index) => MemoryMarshal.Read<uint>(_events.AsSpan(index * EventSize, 4));

    /// <summary>Ends a <see cref="Wait"/> under way from any thread.</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            ulong one = 1;
            _ = Write(_wake, ref one, 8);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = Close(_timer);
            _ = Close(_wake);
            _ = Close(_epoll);
            _ = Close(_quiet);
            _stampKeeper?.Dispose();
        }
    }

    /// <summary>Non-blocking send; bytes sent, or -errno (EAGAIN when the socket buffer is full).</summary>
    public static long Send(int fd, ReadOnlySpan<byte> data)
    {
        while (true)
        {
            var sent = SendRaw(fd, ref MemoryMarshal.GetReference(data), data.Length, MsgDontWait | MsgNoSignal);
            if (sent >= 0)
            {
                return sent;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                return -errno;
            }
        }
    }

    /// <summary>Non-blocking receive; bytes read (0 at end of stream), or -errno (EAGAIN when nothing is there).</summary>
    public static long Receive(int fd, Span<byte> buffer)
    {
        while (true)
        {
            var read = RecvRaw(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, MsgDontWait);
            if (read >= 0)
            {
                return read;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                return -errno;
            }
        }
    }

    /// <summary>
    /// Asks the kernel to stamp what arrives on socket <paramref name="fd"/> with its receive time (<c>SO_TIMESTAMPNS</c>);
    /// false when refused (<see cref="ReceiveStamped"/> then answers the read time).
    /// </summary>
    public static bool StampReceives(int fd)
    {
        var one = 1;
        return SetSockOpt(fd, SolSocket, SoTimestampNs, ref one, 4) == 0;
    }

    /// <summary>
    /// Keeps the kernel's receive stamps on while this loop lives (a socket of its own asks for them): the kernel turns
    /// stamping on a moment after the first socket asks, so without this a run's first responses could come unstamped.
    /// </summary>
    public void KeepReceiveStampsOn()
    {
        if (_stampKeeper is not null)
        {
            return;
        }

        try
        {
            var keeper = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            if (StampReceives((int)keeper.SafeHandle.DangerousGetHandle()))
            {
                _stampKeeper = keeper;
            }
            else
            {
                keeper.Dispose();
            }
        }
        catch (SocketException)
        {
            // No stamps: reads answer their own time, as on every other path.
        }
    }

    /// <summary>
    /// <see cref="Receive"/> that also answers when the kernel received the last of the bytes read
    /// (<paramref name="receivedTicks"/>, Stopwatch ticks, from the <c>SO_TIMESTAMPNS</c> control message; see
    /// <see cref="StampReceives"/>), or the time of this read when the bytes carry no stamp.
    /// </summary>
    public static unsafe long ReceiveStamped(int fd, Span<byte> buffer, out long receivedTicks)
    {
        // One control message: cmsghdr (16 bytes) + struct timespec (16), with room to spare.
        const int controlBytes = 64;
        var control = stackalloc byte[controlBytes];
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            while (true)
            {
                var header = new MessageHeader { Vector = &vector, VectorLength = 1, Control = control, ControlLength = controlBytes };
                var read = RecvMsg(fd, ref header, MsgDontWait);
                if (read >= 0)
                {
                    receivedTicks = read > 0 && KernelStamp(control, (int)header.ControlLength) is var stamp and not 0
                        ? ToStopwatchTicks(stamp)
                        : Stopwatch.GetTimestamp();
                    return read;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr)
                {
                    receivedTicks = 0;
                    return -errno;
                }
            }
        }
    }

    /// <summary>The <c>SCM_TIMESTAMPNS</c> among the control messages (ns since the epoch, CLOCK_REALTIME), or 0.</summary>
    private static unsafe long KernelStamp(byte* control, int length)
    {
        const int headerBytes = 16;
        for (var offset = 0; offset + headerBytes <= length;)
        {
            var messageLength = (int)*(nuint*)(control + offset);
            var level = *(int*)(control + offset + 8);
            var type = *(int*)(control + offset + 12);
            if (messageLength < headerBytes || offset + messageLength > length)
            {
                return 0;
            }

            if (level == SolSocket && type == SoTimestampNs && messageLength >= headerBytes + 16)
            {
                var seconds = *(long*)(control + offset + headerBytes);
                var nanoseconds = *(long*)(control + offset + headerBytes + 8);
                return (seconds * 1_000_000_000) + nanoseconds;
            }

            offset += (messageLength + 7) & ~7;
        }

        return 0;
    }

    /// <summary>
    /// A CLOCK_REALTIME instant (ns) as Stopwatch ticks (CLOCK_MONOTONIC ns): now, less how long ago it was by the
    /// real-time clock; never in the future (a clock stepped back meanwhile gives the read time). The real-time clock is
    /// read between two monotonic readings and paired with their midpoint; readings more than
    /// <see cref="ClockPairSlackTicks"/> apart (the thread was preempted between them) are taken again, up to three times.
    /// </summary>
    private static long ToStopwatchTicks(long realtimeNanoseconds)
    {
        long before, after, realNow;
        var attempt = 0;
        do
        {
            before = Stopwatch.GetTimestamp();
            ClockGettime(ClockRealtime, out var real);
            after = Stopwatch.GetTimestamp();
            realNow = (real.Seconds * 1_000_000_000) + real.Nanoseconds;
        }
        while (after - before > ClockPairSlackTicks && ++attempt < 3);

        var now = before + ((after - before) / 2);
        return now - Math.Max(0, realNow - realtimeNanoseconds);
    }

    /// <summary>
    /// Starts a non-blocking connect of <paramref name="fd"/> (a socket of <paramref name="address"/>'s family) with one
    /// <c>connect(2)</c>: 0 when connected at once, <c>-EINPROGRESS</c> when epoll will say (writable, then
    /// <see cref="PendingError"/>), or another -errno. Unlike <c>Socket.Connect</c> on a non-blocking socket, the usual
    /// outcome is not an exception (with its message formatted) per connection.
    /// </summary>
    public static int Connect(int fd, IPAddress address, int port)
    {
        // sockaddr_in (16 bytes) or sockaddr_in6 (28): family in host order, then the port in network order.
        Span<byte> socketAddress = stackalloc byte[28];
        socketAddress.Clear();
        int length;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(socketAddress, AfInet6);
            address.TryWriteBytes(socketAddress.Slice(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(socketAddress[24..], (uint)address.ScopeId);
            length = 28;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(socketAddress, AfInet);
            address.TryWriteBytes(socketAddress.Slice(4, 4), out _);
            length = 16;
        }

        BinaryPrimitives.WriteUInt16BigEndian(socketAddress[2..], (ushort)port);
        if (ConnectRaw(fd, ref MemoryMarshal.GetReference(socketAddress), length) == 0)
        {
            return 0;
        }

        // Interrupted, the connect goes on in the background (POSIX): epoll reports its end as for EINPROGRESS.
        var errno = Marshal.GetLastPInvokeError();
        return errno == Eintr ? -Einprogress : -errno;
    }

    /// <summary>The pending error of a socket (0 when a non-blocking connect succeeded).</summary>
    public static int PendingError(int fd)
    {
        var value = 0;
        var length = 4;
        return GetSockOpt(fd, SolSocket, SoError, ref value, ref length) == 0 ? value : Marshal.GetLastPInvokeError();
    }

    public const int Eagain = 11;
    public const int Eintr = 4;
    public const int Einprogress = 115;
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    /// <summary>The <see cref="SocketError"/> .NET reports for a Linux errno (the ones a client socket meets; others generic).</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        0 => SocketError.Success,
        32 => SocketError.Shutdown, // EPIPE
        104 => SocketError.ConnectionReset,
        103 => SocketError.ConnectionAborted,
        111 => SocketError.ConnectionRefused,
        110 => SocketError.TimedOut,
        113 => SocketError.HostUnreachable,
        101 => SocketError.NetworkUnreachable,
        100 => SocketError.NetworkDown,
        99 => SocketError.AddressNotAvailable,
        13 => SocketError.AccessDenied,
        1 => SocketError.AccessDenied, // EPERM (a firewall)
        Eagain => SocketError.WouldBlock,
        Einprogress => SocketError.InProgress,
        98 => SocketError.AddressAlreadyInUse,
        97 => SocketError.AddressFamilyNotSupported,
        105 => SocketError.NoBufferSpaceAvailable,
        112 => SocketError.HostDown,
        24 => SocketError.TooManyOpenSockets, // EMFILE
        22 => SocketError.InvalidArgument,
        _ => SocketError.SocketError,
    };

    private bool Control(int op, int fd, ulong id, uint events) => Control(_epoll, op, fd, id, events);

    private static bool Control(int epoll, int op, int fd, ulong id, uint events)
    {
        Span<byte> ev = stackalloc byte[16];
        ev.Clear();
        MemoryMarshal.Write(ev, events);
        MemoryMarshal.Write(ev[DataOffset..], id);
        return EpollCtl(epoll, op, fd, ref MemoryMarshal.GetReference(ev)) == 0;
    }

    private static void Check(bool ok, string call)
    {
        if (!ok)
        {
            throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (LP64: the name's length is padded to 8 bytes, as sequential layout pads it).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vector;
        public nuint VectorLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Itimerspec
    {
        public long IntervalSeconds;
        public long IntervalNanoseconds;
        public long ValueSeconds;
        public long ValueNanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epfd, int op, int fd, ref byte ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epfd, ref byte events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    private static partial int EpollPwait2(int epfd, ref byte events, int maxEvents, in Timespec timeout, IntPtr sigmask);

    [LibraryImport("libc", EntryPoint = "timerfd_create", SetLastError = true)]
    private static partial int TimerfdCreate(int clockId, int flags);

    [LibraryImport("libc", EntryPoint = "timerfd_settime", SetLastError = true)]
    private static partial int TimerfdSettime(int fd, int flags, in Itimerspec newValue, IntPtr oldValue);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventfdCreate(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGettime(int clockId, out Timespec time);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, ref ulong value, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ref ulong value, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendRaw(int fd, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint RecvRaw(int fd, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsg(int fd, ref MessageHeader message, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, ref int value, int length);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int ConnectRaw(int fd, ref byte address, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, ref int value, ref int length);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
