import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { ExplainResult } from '../../../shared/contract/ml-types';
import { errorData } from '../../app/errors';
import { composePng } from './export-png';
import { exportFileName } from './targets';

export type Exported = { url: string; name: string };

export type PngExport = {
  exported: Exported | null;
  problem: string | null;
  /** The download link, clicked as soon as the PNG is ready. */
  link: RefObject<HTMLAnchorElement | null>;
  /** Composes the photo with its heatmap; `path` names the file. */
  start: (photoUrl: string, result: ExplainResult, opacity: number, path: string) => void;
};

/** A heatmap over its photo as a PNG to download; the link stays for a second try. */
export function usePngExport(): PngExport {
  const [exported, setExported] = useState<Exported | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const link = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    if (exported !== null) link.current?.click();
    return () => {
      if (exported !== null) URL.revokeObjectURL(exported.url);
    };
  }, [exported]);

  const start: PngExport['start'] = (photoUrl, result, opacity, path) => {
    setProblem(null);
    composePng(photoUrl, result, opacity).then(
      (blob) =>
        setExported({
          url: URL.createObjectURL(blob),
          name: exportFileName(path, result.method, result.city),
        }),
      (error: unknown) => setProblem(`Could not export: ${errorData(error).message}`),
    );
  };
  return { exported, problem, link, start };
}
