// Rendering builds the Go renderer once per run; tests share it, and the render itself is cheap.
[assembly: CaptureConsole]
