// The one hidden <input type="file"> lives in the header; other views (the empty state) open it.

let input: HTMLInputElement | null = null;

export function registerImportInput(el: HTMLInputElement | null): void {
  input = el;
}

export function openImportPicker(): void {
  input?.click();
}
