import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  url: string;
  /** Every connection, open or new, is reset at once: the engine looks stopped. */
  cut(): void;
  /** Connections are accepted and never answered: the engine looks hung. */
  hang(): void;
  /** Traffic flows to the engine again. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the shared search engine, so a suite can take "its" engine away
 * without stopping the one other suites use.
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let mode: "pass" | "cut" | "hang" = "pass";
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.once("close", () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (mode === "cut") return void client.destroy();
    if (mode === "hang") return;
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const dropAll = () => sockets.forEach((socket) => socket.destroy());
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      mode = "cut";
      dropAll();
    },
    hang() {
      mode = "hang";
      dropAll();
    },
    restore() {
      mode = "pass";
      dropAll();
    },
    close() {
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
