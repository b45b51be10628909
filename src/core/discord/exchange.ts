import { DefaultRestOptions, type ResponseLike } from '@discordjs/rest';
import { readCapped, TooLarge } from './readCapped';

export type MakeRequest = typeof DefaultRestOptions.makeRequest;
export type RequestInit = Parameters<MakeRequest>[1];

/** What an answer's status line and headers say; its body is read already (Exchange.body). */
export interface AnswerHead {
  status: number;
  statusText: string;
  headers: ResponseLike['headers'];
}

/**
 * One HTTP request and its whole answer: the head, and the body read in full
 * but never past `maxBytes`, or why it could not be read (too large, or the
 * connection was lost while reading). A failure before the head (refused,
 * reset, timed out) rejects instead.
 */
export interface Exchange {
  head: AnswerHead;
  body: Buffer | TooLarge | Error;
  /** The body as text, when the exchanger decoded it already (the HTTP thread does, for JSON). */
  text?: string;
}

/** Performs an exchange: on this thread (inlineExchange) or on the HTTP thread (HttpThread). */
export type Exchanger = (url: string, init: RequestInit, maxBytes: number) => Promise<Exchange>;

/** The exchange through the library's own request function (undici), on this thread. */
export const inlineExchange: Exchanger = async (url, init, maxBytes) => {
  const response = await DefaultRestOptions.makeRequest(url, init);
  const head: AnswerHead = { status: response.status, statusText: response.statusText, headers: response.headers };
  try {
    return { head, body: await readCapped(response.body, response.headers.get('content-length'), maxBytes) };
  } catch (error) {
    return { head, body: error instanceof TooLarge ? error : asError(error) };
  }
};

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
