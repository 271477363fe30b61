import Flutter
import UIKit
import workmanager_apple

@main
@objc class AppDelegate: FlutterAppDelegate {
  override func application(
    _ application: UIApplication,
    didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?
  ) -> Bool {
    GeneratedPluginRegistrant.register(with: self)
    // WorkmanagerPlugin.registerBGProcessingTask(withIdentifier: "commented.out")
    WorkmanagerPlugin.registerBGProcessingTask(withIdentifier: "dev.example.good.cleanup")
    WorkmanagerPlugin.registerPeriodicTask(withIdentifier: "dev.example.good.sync", frequency: NSNumber(value: 60 * 60))
    return super.application(application, didFinishLaunchingWithOptions: launchOptions)
  }
}
