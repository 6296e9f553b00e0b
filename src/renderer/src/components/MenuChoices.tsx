// The items of a menu that picks one value (an export format): one button per choice, the first focused when the
// menu opens, each with the test id `${testId}-${value}`. The menu around them closes itself in `onPick`.
export interface MenuChoicesProps<T extends string> {
  /** Value and label, in menu order. */
  choices: readonly (readonly [T, string])[]
  testId: string
  onPick(value: T): void
}

export function MenuChoices<T extends string>({ choices, testId, onPick }: MenuChoicesProps<T>) {
  return choices.map(([value, label], i) => (
    <button
      key={value}
      type="button"
      role="menuitem"
      className="menu-item"
      autoFocus={i === 0}
      data-testid={`${testId}-${value}`}
      onClick={() => onPick(value)}
    >
      {label}
    </button>
  ))
}
