"""The message the drafting tests share, and the seed reports it is answered from."""

MESSAGE = ("您好！我家在焦作市农村，想问一下农村低保标准是多少？另外洛阳孤儿一个月给多少钱？"
           "还有北京市城市低保标准是多少？谢谢！")
JIAOZUO = "002_39dfedb441b95935.txt"
LUOYANG = "000_634e09650f0b344e.txt"
NOT_COVERED = "经查，现有资料未涉及“北京市城市低保标准”的相关内容，建议咨询当地民政部门。"
