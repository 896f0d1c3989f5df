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

    public static Stream Create(string path, byte[] key, string label) =>
        new SealingStream(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous), key, label);

    public static Stream Open(string path, byte[] key, string label) =>
        new OpeningStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous), key, label);

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
        private readonly AesGcm _aes;
        private readonly byte[] _label;
        private readonly byte[] _prefix = RandomNumberGenerator.GetBytes(8);
        private readonly byte[] _buffer = new byte[ChunkSize];
        private readonly byte[] _sealed = new byte[4 + ChunkSize + TagSize];
        private int _filled;
        private long _chunk;
        private bool _headerWritten;
        private bool _finished;

        public SealingStream(Stream inner, byte[] key, string label)
        {
            _inner = inner;
            _aes = new AesGcm(key, TagSize);
            _label = Encoding.UTF8.GetBytes(label);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

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

                var n = Math.Min(buffer.Length, ChunkSize - _filled);
                buffer[..n].CopyTo(_buffer.AsSpan(_filled));
                _filled += n;
                buffer = buffer[n..];
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_finished)
            {
                SealChunk(last: true);
                _finished = true;
                _inner.Flush();
                _inner.Dispose();
                _aes.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            Dispose(true);
            await Task.CompletedTask;
            GC.SuppressFinalize(this);
        }

        private void SealChunk(bool last)
        {
            if (!_headerWritten)
            {
                _inner.Write(Magic);
                _inner.Write(_prefix);
                _headerWritten = true;
            }

            BinaryPrimitives.WriteInt32BigEndian(_sealed, _filled);
            _aes.Encrypt(Nonce(_prefix, _chunk, last), _buffer.AsSpan(0, _filled), _sealed.AsSpan(4, _filled), _sealed.AsSpan(4 + _filled, TagSize), _label);
            _inner.Write(_sealed, 0, 4 + _filled + TagSize);
            _chunk++;
            _filled = 0;
        }
    }

    private sealed class OpeningStream : Stream
    {
        private readonly Stream _inner;
        private readonly AesGcm _aes;
        private readonly byte[] _label;
        private readonly byte[] _prefix = new byte[8];
        private readonly byte[] _plain = new byte[ChunkSize];
        private readonly byte[] _sealed = new byte[ChunkSize + TagSize];
        private int _offset;
        private int _length;
        private long _chunk;
        private bool _headerRead;
        private bool _lastSeen;

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

                OpenChunk();
            }

            var n = Math.Min(buffer.Length, _length - _offset);
            _plain.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

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

        private void OpenChunk()
        {
            if (!_headerRead)
            {
                Span<byte> magic = stackalloc byte[8];
                Fill(magic);
                if (!magic.SequenceEqual(Magic))
                {
                    throw new CryptographicException("This is not a sealed DataRights file.");
                }

                Fill(_prefix);
                _headerRead = true;
            }

            Span<byte> lengthBytes = stackalloc byte[4];
            Fill(lengthBytes);
            var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
            if (length is < 0 or > ChunkSize)
            {
                throw new CryptographicException("The sealed file is damaged.");
            }

            Fill(_sealed.AsSpan(0, length + TagSize));

            // A chunk is the last only if it says so; anything after it, or a file ending without it, is refused.
            var last = _inner.ReadByte() is var next && next < 0;
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

        private int _pendingByte = -1;

        private void Fill(Span<byte> target)
        {
            if (target.IsEmpty)
            {
                return;
            }

            var start = 0;
            if (_pendingByte >= 0)
            {
                target[0] = (byte)_pendingByte;
                _pendingByte = -1;
                start = 1;
            }

            try
            {
                _inner.ReadExactly(target[start..]);
            }
            catch (EndOfStreamException)
            {
                throw new CryptographicException("The sealed file is cut short.");
            }
        }
    }
}
