import type { z } from 'zod';
import { collectMethods } from './collect-methods';
import type { MethodSpec } from './define';
import { geoMethods } from './geo-methods';
import { labelQueueMethods } from './label-queue-methods';
import { libraryMethods } from './library-methods';
import { mlMethods } from './ml-methods';
import { studyMethods } from './study-methods';

/**
 * The one method map. Every door (Electron IPC, HTTP bridge, CLI) and every client is typed from it;
 * later features add their own `*-methods.ts` map and spread it in here.
 */
export const methods = {
  ...libraryMethods,
  ...mlMethods,
  ...studyMethods,
  ...geoMethods,
  ...collectMethods,
  ...labelQueueMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;

type SpecOf<K extends MethodName> = Methods[K];
/** What a caller may pass (defaults optional). */
export type ParamsIn<K extends MethodName> = z.input<SpecOf<K>['params']>;
/** What a handler receives after validation (defaults filled in). */
export type ParamsOut<K extends MethodName> = z.output<SpecOf<K>['params']>;
export type MethodResult<K extends MethodName> =
  SpecOf<K> extends MethodSpec<z.ZodTypeAny, infer R, infer _J> ? R : never;

export type JobMethodName = {
  [K in MethodName]: SpecOf<K>['jobKind'] extends null ? never : K;
}[MethodName];

export type Handlers = { [K in MethodName]: (params: ParamsOut<K>) => Promise<MethodResult<K>> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
