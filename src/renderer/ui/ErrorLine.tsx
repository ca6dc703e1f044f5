import type { AppErrorData } from '../../shared/contract/errors';

/** An error as the user sees it everywhere: the stable code, then the message. */
export function ErrorLine(props: { error: AppErrorData; testId?: string }) {
  return (
    <p className="form-error" role="alert" data-testid={props.testId}>
      <code>{props.error.code}</code> {props.error.message}
    </p>
  );
}
