using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DataRights.Host.Exports;

/// <summary>
/// Files encrypted at rest with AES-256-GCM, written and read as streams so no export is ever held in
/// memory whole. The file is a header (magic, random 8-byte nonce prefix) then chunks of at most
/// <see cref="ChunkSize"/> plaintext bytes, each sealed on its own: nonce = prefix + chunk number +
/// last-chunk flag, associated data = the file's purpose label. Reordered, cut-short, swapped or
/// altered files fail to open (<see cref="CryptographicException"/>), never yield wrong data.
/// </summary>
public static class SealedStreams
{
    public const int ChunkSize = 64 * 1024;
    private const int TagSize = 16;
    private static readonly byte[] Magic = "DRSEAL1\n"u8.ToArray();

    /// <summary>Seals what is written into a new file at <paramref name="path"/>.</summary>
    public static Stream Create(string path, byte[] key, string label) =>
        Create(Hosting.OwnerOnlyFiles.Create(path, FileMode.Create), key, label);

    /// <summary>
    /// Seals what is written into <paramref name="inner"/> (written in order, never sought, so an upload
    /// stream will do). Disposing the returned stream writes the last chunk; it disposes
    /// <paramref name="inner"/> too unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static Stream Create(Stream inner, byte[] key, string label, bool leaveOpen = false) => new SealingStream(inner, key, label, leaveOpen);

    /// <summary>
    /// Gives up a stream made by <see cref="Create(Stream, byte[], string, bool)"/> without writing its last
    /// chunk (what was written stays unopenable: a sealed file without its last chunk is refused).
    /// </summary>
    internal static void Discard(Stream sealing)
    {
        if (sealing is SealingStream stream)
        {
            stream.Discard();
        }
    }

    /// <summary>Opens the sealed file at <paramref name="path"/>.</summary>
    public static Stream Open(string path, byte[] key, string label) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous), key, label);

    /// <summary>Opens sealed bytes read in order from <paramref name="inner"/> (a download stream will do); disposes it with the returned stream.</summary>
    public static Stream Open(Stream inner, byte[] key, string label) => new OpeningStream(inner, key, label);

    private static byte[] Nonce(byte[] prefix, long chunk, bool last)
    {
        var nonce = new byte[12];
        prefix.CopyTo(nonce, 0);
        if (chunk > uint.MaxValue >> 1)
        {
            throw new InvalidOperationException("The file is too large to seal.");
        }

        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), ((uint)chunk << 1) | (last ? 1u : 0u));
        return nonce;
    }

    private sealed class SealingStream : Stream
    {
        private readonly Stream _inner;
        private readonly bool _leaveOpen;
        private readonly AesGcm _aes;
        private readonly byte[] _label;
        private readonly byte[] _prefix = RandomNumberGenerator.GetBytes(8);
        private readonly byte[] _buffer = new byte[ChunkSize];
        private readonly byte[] _sealed = new byte[4 + ChunkSize + TagSize];
        private int _filled;
        private long _chunk;
        private bool _headerWritten;
        private bool _finished;

        public SealingStream(Stream inner, byte[] key, string label, bool leaveOpen)
        {
            _inner = inner;
            _leaveOpen = leaveOpen;
            _aes = new AesGcm(key, TagSize);
            _label = Encoding.UTF8.GetBytes(label);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => !_finished;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            while (!buffer.IsEmpty)
            {
                if (_filled == ChunkSize)
                {
                    SealChunk(last: false);
                }

                var n = Take(buffer);
                buffer = buffer[n..];
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            while (!buffer.IsEmpty)
            {
                if (_filled == ChunkSize)
                {
                    await SealChunkAsync(last: false, cancellationToken);
                }

                var n = Take(buffer.Span);
                buffer = buffer[n..];
            }
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_finished)
            {
                _finished = true;
                try
                {
                    SealChunk(last: true);
                    _inner.Flush();
                }
                finally
                {
                    if (!_leaveOpen)
                    {
                        _inner.Dispose();
                    }

                    _aes.Dispose();
                }
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_finished)
            {
                _finished = true;
                try
                {
                    await SealChunkAsync(last: true, CancellationToken.None);
                    await _inner.FlushAsync();
                }
                finally
                {
                    if (!_leaveOpen)
                    {
                        await _inner.DisposeAsync();
                    }

                    _aes.Dispose();
                }
            }

            await base.DisposeAsync();
        }

        public void Discard()
        {
            if (!_finished)
            {
                _finished = true;
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }

                _aes.Dispose();
            }
        }

        private int Take(ReadOnlySpan<byte> buffer)
        {
            var n = Math.Min(buffer.Length, ChunkSize - _filled);
            buffer[..n].CopyTo(_buffer.AsSpan(_filled));
            _filled += n;
            return n;
        }

        private void SealChunk(bool last)
        {
            if (!_headerWritten)
            {
                _inner.Write(Magic);
                _inner.Write(_prefix);
                _headerWritten = true;
            }

            _inner.Write(_sealed, 0, Seal(last));
        }

        private async ValueTask SealChunkAsync(bool last, CancellationToken cancellationToken)
        {
            if (!_headerWritten)
            {
                await _inner.WriteAsync(Magic, cancellationToken);
                await _inner.WriteAsync(_prefix, cancellationToken);
                _headerWritten = true;
            }

            await _inner.WriteAsync(_sealed.AsMemory(0, Seal(last)), cancellationToken);
        }

        /// <summary>Seals the buffered plaintext into <see cref="_sealed"/>; returns the bytes to write.</summary>
        private int Seal(bool last)
        {
            var length = _filled;
            BinaryPrimitives.WriteInt32BigEndian(_sealed, length);
            _aes.Encrypt(Nonce(_prefix, _chunk, last), _buffer.AsSpan(0, length), _sealed.AsSpan(4, length), _sealed.AsSpan(4 + length, TagSize), _label);
            _chunk++;
            _filled = 0;
            return 4 + length + TagSize;
        }
    }

    private sealed class OpeningStream : Stream
    {
        private readonly Stream _inner;
        private readonly AesGcm _aes;
        private readonly byte[] _label;
        private readonly byte[] _prefix = new byte[8];
        private readonly byte[] _small = new byte[8];
        private readonly byte[] _plain = new byte[ChunkSize];
        private readonly byte[] _sealed = new byte[ChunkSize + TagSize];
        private int _offset;
        private int _length;
        private long _chunk;
        private bool _headerRead;
        private bool _lastSeen;
        private int _pendingByte = -1;

        public OpeningStream(Stream inner, byte[] key, string label)
        {
            _inner = inner;
            _aes = new AesGcm(key, TagSize);
            _label = Encoding.UTF8.GetBytes(label);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_offset == _length)
            {
                if (_lastSeen)
                {
                    return 0;
                }

                // Synchronous all the way down (sync: true), so the ValueTask has already completed.
                OpenChunkAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();
            }

            return Give(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_offset == _length)
            {
                if (_lastSeen)
                {
                    return 0;
                }

                await OpenChunkAsync(sync: false, cancellationToken);
            }

            return Give(buffer.Span);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _aes.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Give(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _length - _offset);
            _plain.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        private async ValueTask OpenChunkAsync(bool sync, CancellationToken cancellationToken)
        {
            if (!_headerRead)
            {
                await FillAsync(_small.AsMemory(0, 8), sync, cancellationToken);
                if (!_small.AsSpan(0, 8).SequenceEqual(Magic))
                {
                    throw new CryptographicException("This is not a sealed DataRights file.");
                }

                await FillAsync(_prefix, sync, cancellationToken);
                _headerRead = true;
            }

            await FillAsync(_small.AsMemory(0, 4), sync, cancellationToken);
            var length = BinaryPrimitives.ReadInt32BigEndian(_small);
            if (length is < 0 or > ChunkSize)
            {
                throw new CryptographicException("The sealed file is damaged.");
            }

            await FillAsync(_sealed.AsMemory(0, length + TagSize), sync, cancellationToken);

            // A chunk is the last only if it says so; anything after it, or a file ending without it, is refused.
            int next;
            if (sync)
            {
                next = _inner.ReadByte();
            }
            else
            {
                next = await _inner.ReadAsync(_small.AsMemory(0, 1), cancellationToken) == 0 ? -1 : _small[0];
            }

            var last = next < 0;
            if (!last)
            {
                _pendingByte = next;
            }

            _aes.Decrypt(Nonce(_prefix, _chunk, last), _sealed.AsSpan(0, length), _sealed.AsSpan(length, TagSize), _plain.AsSpan(0, length), _label);
            _chunk++;
            _offset = 0;
            _length = length;
            _lastSeen = last;
        }

        private async ValueTask FillAsync(Memory<byte> target, bool sync, CancellationToken cancellationToken)
        {
            if (target.IsEmpty)
            {
                return;
            }

            if (_pendingByte >= 0)
            {
                target.Span[0] = (byte)_pendingByte;
                _pendingByte = -1;
                target = target[1..];
            }

            try
            {
                if (sync)
                {
                    _inner.ReadExactly(target.Span);
                }
                else
                {
                    await _inner.ReadExactlyAsync(target, cancellationToken);
                }
            }
            catch (EndOfStreamException)
            {
                throw new CryptographicException("The sealed file is cut short.");
            }
        }
    }
}
