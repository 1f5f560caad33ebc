"""A TCP relay to a push service that drops the first connections it is given, as a
network or an overloaded push service does: the sender must retry to get through."""

import asyncio
import socket
import threading


class FlakyRelay:
    """Relays 127.0.0.1:<port> to ``target``, after closing ``drops`` connections unanswered."""

    def __init__(self, target_host, target_port, drops):
        self.target = (target_host, target_port)
        self.drops = drops
        self.dropped = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc_info):
        self._server.close()
        self._run(self._end_relays())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()

    async def _end_relays(self):
        """Cut the connections still open: the sender keeps its connections alive."""
        relays = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in relays:
            task.cancel()
        await asyncio.gather(*relays, return_exceptions=True)
        await self._server.wait_closed()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _relay(self, reader, writer):
        if self.dropped < self.drops:
            self.dropped += 1
            writer.transport.get_extra_info("socket").setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )  # a reset, not a clean close
            writer.close()
            return
        target_reader, target_writer = await asyncio.open_connection(*self.target)
        await asyncio.gather(_pipe(reader, target_writer), _pipe(target_reader, writer))


async def _pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()
