import type { ChildProcess } from 'node:child_process';

export declare const hostCommand: string;
export declare function hasRedisServer(): boolean;
export declare function freePort(): Promise<number>;
export declare function stopChild(child: ChildProcess, signal?: NodeJS.Signals): Promise<void>;
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  restart(): Promise<void>;
}
export interface Certificates {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}
export declare function makeCertificates(dir: string): Certificates;
export declare function startRedis(options?: { port?: number; extra?: string[]; tls?: Certificates }): Promise<RedisServer>;
export interface HostProcess {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly log: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}
export interface HostStart {
  url: string;
  group: string;
  module: string;
  concurrency?: number;
  args?: string[];
  echo?: boolean;
  runtime?: string;
  runtimeArgs?: string[];
  env?: Record<string, string>;
}
export declare function startHost(options: HostStart): Promise<HostProcess>;
export declare function startHosts(count: number, options: HostStart): Promise<HostProcess[]>;
